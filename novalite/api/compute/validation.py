"""JSON-Schema validation of request bodies, with Nova's error messages."""

import base64
import uuid

import jsonschema
from jsonschema import Draft4Validator, FormatChecker

from novalite.api.faults import HTTPError

_FORMATS = FormatChecker()


@_FORMATS.checks("base64", raises=(ValueError, TypeError))
def _is_base64(value) -> bool:
    if not isinstance(value, str):
        return True
    base64.b64decode(value.strip(), validate=True)
    return True


@_FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value) -> bool:
    if not isinstance(value, str):
        return True
    uuid.UUID(value)
    return True


# id(schema) -> (schema, validator). Schemas are module constants, so one validator each;
# the schema is kept so that a reused id() of a dead dict can never pick a stale validator.
_validators: dict[int, tuple[dict, Draft4Validator]] = {}


def _validator(schema: dict) -> Draft4Validator:
    cached = _validators.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = _validators[id(schema)] = (
            schema, Draft4Validator(schema, format_checker=_FORMATS))
    return cached[1]


def validate_action(actions: dict, body) -> str:
    """An action body names one action: {name: args}. `actions` maps each name to the
    schema of the whole body (first of a tuple, if a tuple). Returns the name, or 400."""
    if not isinstance(body, dict) or len(body) != 1 or next(iter(body)) not in actions:
        raise HTTPError(400, "The action must be one of: %s" % ", ".join(actions))
    name = next(iter(body))
    entry = actions[name]
    validate(entry[0] if isinstance(entry, tuple) else entry, body)
    return name


def validate(schema: dict, body) -> None:
    """Raise a 400 naming the bad field if `body` does not match `schema`."""
    error = jsonschema.exceptions.best_match(_validator(schema).iter_errors(body))
    if error is None:
        return
    # absolute_path: errors found inside oneOf/anyOf carry only the path below that branch.
    field = _path(error.absolute_path)
    if error.validator in ("required", "additionalProperties", "minProperties",
                           "maxProperties"):
        raise HTTPError(400, "Invalid input for field/attribute %s. %s"
                        % (field or "request body", error.message))
    if not field:
        raise HTTPError(400, "Invalid input for request body. Value: %s. %s"
                        % (_short(error.instance), error.message))
    raise HTTPError(400, "Invalid input for field/attribute %s. Value: %s. %s"
                    % (field, _short(error.instance), error.message))


def _path(path) -> str:
    return "/".join(str(p) for p in path)


def _short(value) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 100 else text[:97] + "..."


# Reusable parameter types, as Nova's validation/parameter_types.py.
NAME = {"type": "string", "minLength": 1, "maxLength": 255,
        "pattern": r"^(?! )[^\x00-\x1f\x7f]*(?<! )$"}
DESCRIPTION = {"type": ["string", "null"], "minLength": 0, "maxLength": 255,
               "pattern": r"^[^\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]*$"}
POSITIVE_INTEGER = {"type": ["integer", "string"], "pattern": "^[0-9]*$", "minimum": 1,
                    "minLength": 1}
NON_NEGATIVE_INTEGER = {"type": ["integer", "string"], "pattern": "^[0-9]*$", "minimum": 0,
                        "minLength": 1}
BOOLEAN = {"type": ["boolean", "string"],
           "enum": [True, "True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes",
                    "y", "t", False, "False", "FALSE", "false", "0", "OFF", "Off", "off",
                    "NO", "No", "no", "n", "f"]}
METADATA = {"type": "object",
            "patternProperties": {"^[a-zA-Z0-9-_:. ]{1,255}$": {"type": "string",
                                                                "maxLength": 255}},
            "additionalProperties": False}


def to_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "on", "yes", "y", "t")
