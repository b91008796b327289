"""Request body schemas for /flavors, as Nova's schemas/flavor_manage.py."""

import copy

from novalite.api.compute.validation import BOOLEAN, DESCRIPTION

_NON_NEGATIVE = {"type": ["integer", "string"], "pattern": "^[0-9]*$", "minimum": 0,
                 "maximum": 2147483647, "minLength": 1}
_POSITIVE = {**_NON_NEGATIVE, "minimum": 1}

CREATE = {
    "type": "object",
    "properties": {
        "flavor": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 255,
                         "pattern": r"^(?! )[a-zA-Z0-9. _-]+(?<! )$"},
                # a number is accepted too, as Nova's legacy v2 did; null means "a UUID"
                "id": {"type": ["string", "integer", "null"], "minLength": 1, "maxLength": 255,
                       "pattern": r"^(?! )[a-zA-Z0-9. _-]+(?<! )$"},
                "ram": _POSITIVE,
                "vcpus": _POSITIVE,
                "disk": _NON_NEGATIVE,
                "OS-FLV-EXT-DATA:ephemeral": _NON_NEGATIVE,
                "swap": {"anyOf": [_NON_NEGATIVE, {"type": "string", "enum": [""]}]},
                "rxtx_factor": {"type": ["number", "string"],
                                "pattern": r"^[0-9]+(\.[0-9]+)?$", "minimum": 0,
                                "exclusiveMinimum": True, "maximum": 3.40282e+38},
                "os-flavor-access:is_public": BOOLEAN,
            },
            "required": ["name", "ram", "vcpus", "disk"],
            "additionalProperties": False,
        },
    },
    "required": ["flavor"],
    "additionalProperties": False,
}

CREATE_V255 = copy.deepcopy(CREATE)
CREATE_V255["properties"]["flavor"]["properties"]["description"] = DESCRIPTION


def create_schema(version) -> dict:
    return CREATE_V255 if version.matches(2, 55) else CREATE


UPDATE = {
    "type": "object",
    "properties": {
        "flavor": {"type": "object", "properties": {"description": DESCRIPTION},
                   "required": ["description"], "additionalProperties": False},
    },
    "required": ["flavor"],
    "additionalProperties": False,
}

_SPEC_KEY = "^[a-zA-Z0-9-_:. ]{1,255}$"
_SPEC_VALUE = {"type": ["string", "number", "boolean"], "maxLength": 255}

EXTRA_SPECS = {
    "type": "object",
    "properties": {
        "extra_specs": {"type": "object", "patternProperties": {_SPEC_KEY: _SPEC_VALUE},
                        "additionalProperties": False},
    },
    "required": ["extra_specs"],
    "additionalProperties": False,
}

EXTRA_SPEC_ONE = {
    "type": "object", "patternProperties": {_SPEC_KEY: _SPEC_VALUE},
    "minProperties": 1, "maxProperties": 1, "additionalProperties": False,
}
