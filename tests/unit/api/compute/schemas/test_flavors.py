"""The flavor request schemas."""

import pytest

from novalite.api.compute.schemas import flavors as schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError
from novalite.api.microversion import APIVersion

V21, V255 = APIVersion(2, 1), APIVersion(2, 55)


def _flavor(**fields):
    flavor = {"name": "f1", "ram": 512, "vcpus": 1, "disk": 1}
    flavor.update(fields)
    return {"flavor": flavor}


def _refused(schema, body, *fragments):
    with pytest.raises(HTTPError) as err:
        validate(schema, body)
    for fragment in fragments:
        assert fragment in err.value.message


@pytest.mark.parametrize("fields", [
    {}, {"id": None}, {"id": "custom.id_1"}, {"id": 42}, {"swap": 0}, {"swap": ""},
    {"swap": "512"}, {"OS-FLV-EXT-DATA:ephemeral": 10}, {"rxtx_factor": 1.5},
    {"rxtx_factor": "2"}, {"os-flavor-access:is_public": False},
    {"os-flavor-access:is_public": "True"}, {"ram": "1024", "vcpus": "2", "disk": "0"},
])
def test_valid_creates(fields):
    """Including exactly what OSC sends: id null, swap 0, ephemeral 0, is_public true."""
    validate(schemas.create_schema(V21), _flavor(**fields))


@pytest.mark.parametrize("fields, fragments", [
    ({"name": ""}, ("flavor/name",)),
    ({"name": "with/slash"}, ("flavor/name",)),
    ({"id": ""}, ("flavor/id",)),
    ({"id": " padded"}, ("flavor/id",)),
    ({"ram": 0}, ("flavor/ram",)),
    ({"vcpus": 0}, ("flavor/vcpus",)),
    ({"vcpus": 2 ** 31}, ("flavor/vcpus",)),
    ({"disk": -1}, ("flavor/disk",)),
    ({"swap": "lots"}, ("flavor/swap",)),
    ({"rxtx_factor": 0}, ("rxtx_factor",)),
    ({"os-flavor-access:is_public": "perhaps"}, ("is_public",)),
    ({"description": "d"}, ("description",)),  # only from 2.55
])
def test_invalid_creates(fields, fragments):
    _refused(schemas.create_schema(V21), _flavor(**fields), *fragments)


def test_required_fields():
    for field in ("name", "ram", "vcpus", "disk"):
        body = _flavor()
        del body["flavor"][field]
        _refused(schemas.create_schema(V21), body, "'%s' is a required property" % field)


def test_description_from_2_55():
    validate(schemas.create_schema(V255), _flavor(description="small"))
    validate(schemas.UPDATE, {"flavor": {"description": None}})
    _refused(schemas.UPDATE, {"flavor": {"description": "d", "name": "renamed"}}, "name")
    _refused(schemas.UPDATE, {"flavor": {}}, "'description' is a required property")


def test_extra_specs():
    validate(schemas.EXTRA_SPECS, {"extra_specs": {"hw:cpu_policy": "dedicated", "n": 1,
                                                   "b": True}})
    _refused(schemas.EXTRA_SPECS, {"extra_specs": {"k": {"nested": 1}}}, "extra_specs/k")
    _refused(schemas.EXTRA_SPECS, {"extra_specs": {"bad/key": "v"}}, "bad/key")
    validate(schemas.EXTRA_SPEC_ONE, {"hw:cpu_policy": "shared"})
    _refused(schemas.EXTRA_SPEC_ONE, {}, "request body")
    _refused(schemas.EXTRA_SPEC_ONE, {"a": "1", "b": "2"}, "request body")
