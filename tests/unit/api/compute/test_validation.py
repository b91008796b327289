"""validate(): a 400 whose message names the bad field and value; shared parameter types."""

import pytest

from novalite.api.compute import validation
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError


def _error(schema, body) -> str:
    with pytest.raises(HTTPError) as err:
        validate(schema, body)
    assert err.value.status == 400
    return err.value.message


NESTED = {"type": "object",
          "properties": {"outer": {"type": "object",
                                   "properties": {"count": {"type": "integer"}},
                                   "required": ["count"], "additionalProperties": False}},
          "required": ["outer"], "additionalProperties": False}


def test_valid_bodies_pass():
    validate(NESTED, {"outer": {"count": 3}})


def test_missing_field_names_its_parent():
    assert _error(NESTED, {"outer": {}}) == (
        "Invalid input for field/attribute outer. 'count' is a required property")
    assert _error(NESTED, {}) == (
        "Invalid input for field/attribute request body. 'outer' is a required property")


def test_wrong_value_names_the_path_and_the_value():
    assert _error(NESTED, {"outer": {"count": "three"}}) == (
        "Invalid input for field/attribute outer/count. Value: three. "
        "'three' is not of type 'integer'")


def test_unknown_key_is_named():
    assert "'extra' was unexpected" in _error(NESTED, {"outer": {"count": 1, "extra": 2}})


def test_a_body_of_the_wrong_type_is_the_request_body():
    message = _error(NESTED, [1])
    assert message == "Invalid input for request body. Value: [1]. [1] is not of type 'object'"


def test_errors_inside_one_of_keep_their_full_path():
    schema = {"type": "object", "properties": {"nets": {"oneOf": [
        {"type": "array", "items": {"type": "object",
                                    "properties": {"port": {"type": "string",
                                                            "format": "uuid"}}}},
        {"type": "string", "enum": ["auto", "none"]}]}}}
    assert "field/attribute nets. Value: some" in _error(schema, {"nets": "some"})
    assert "field/attribute nets/0/port. Value: bad" in _error(schema,
                                                               {"nets": [{"port": "bad"}]})


def test_long_values_are_shortened():
    message = _error({"type": "object", "properties": {"n": {"type": "integer"}}},
                     {"n": "x" * 500})
    assert "Value: " + "x" * 97 + "...." in message


def test_a_new_schema_never_reuses_a_stale_validator():
    """Validators are cached per schema object; a later dict must not get an old one."""
    for limit in range(1, 30):
        schema = {"type": "integer", "maximum": limit}
        validate(schema, limit)
        with pytest.raises(HTTPError):
            validate(schema, limit + 1)


@pytest.mark.parametrize("value, ok", [
    ("server-1", True), ("a", True), ("with space inside", True), ("ünïcode", True),
    ("x" * 255, True), ("", False), ("x" * 256, False), (" lead", False),
    ("trail ", False), ("tab\there", False), ("nul\x00", False), (5, False),
])
def test_name(value, ok):
    schema = {"type": "object", "properties": {"name": validation.NAME}}
    if ok:
        validate(schema, {"name": value})
    else:
        assert "name" in _error(schema, {"name": value})


@pytest.mark.parametrize("value, ok", [
    (1, True), ("1", True), (10, True), ("007", True), (0, False), ("0", True),
    ("", False), ("abc", False), ("-1", False), (-1, False), (1.5, False), (None, False),
])
def test_positive_integer(value, ok):
    """As Nova: strings of digits pass the schema ("0" is caught by min_count checks)."""
    schema = {"type": "object", "properties": {"n": validation.POSITIVE_INTEGER}}
    if ok:
        validate(schema, {"n": value})
    else:
        _error(schema, {"n": value})


@pytest.mark.parametrize("value", [True, False, "True", "false", "1", "0", "on", "off",
                                   "yes", "no", "y", "n", "t", "f"])
def test_boolean_accepts_the_usual_spellings(value):
    validate({"type": "object", "properties": {"b": validation.BOOLEAN}}, {"b": value})


@pytest.mark.parametrize("value", ["maybe", 1, 0, None, "", "tRuE"])
def test_boolean_refuses_others(value):
    _error({"type": "object", "properties": {"b": validation.BOOLEAN}}, {"b": value})


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), ("True", True), ("yes", True), ("1", True), ("on", True),
    ("False", False), ("0", False), ("no", False), ("off", False),
])
def test_to_bool(value, expected):
    assert validation.to_bool(value) is expected


@pytest.mark.parametrize("metadata, ok", [
    ({}, True), ({"role": "web", "a.b-c_d:e f": "x"}, True), ({"k": "v" * 255}, True),
    ({"k": "v" * 256}, False), ({"": "empty key"}, False), ({"k" * 256: "v"}, False),
    ({"k": 1}, False), ({"k": None}, False), ({"bad/key": "v"}, False), ("x", False),
])
def test_metadata(metadata, ok):
    schema = {"type": "object", "properties": {"metadata": validation.METADATA}}
    if ok:
        validate(schema, {"metadata": metadata})
    else:
        assert "metadata" in _error(schema, {"metadata": metadata})


@pytest.mark.parametrize("value, ok", [
    ("aGVsbG8=", True), ("", True), ("aGVsbG8", False), ("%%%", False), ("a b", False),
])
def test_base64_format(value, ok):
    schema = {"type": "object", "properties": {"d": {"type": "string", "format": "base64"}}}
    if ok:
        validate(schema, {"d": value})
    else:
        assert "is not a 'base64'" in _error(schema, {"d": value})


@pytest.mark.parametrize("value, ok", [
    ("6e1a3c4a-0b9c-4d5e-8f7a-1b2c3d4e5f60", True),
    ("6E1A3C4A0B9C4D5E8F7A1B2C3D4E5F60", True), ("not-a-uuid", False), ("", False),
])
def test_uuid_format(value, ok):
    schema = {"type": "object", "properties": {"u": {"type": "string", "format": "uuid"}}}
    if ok:
        validate(schema, {"u": value})
    else:
        _error(schema, {"u": value})
