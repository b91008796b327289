"""Request bodies of /os-aggregates, as Nova's schemas/aggregates.py and aggregate_images."""

from novalite.api.compute.validation import NAME

_AZ = {"type": ["string", "null"], "minLength": 1, "maxLength": 255,
       "pattern": r"^[^:]*$"}  # ':' separates zone and host in Nova's zone:host syntax

CREATE = {
    "type": "object",
    "properties": {"aggregate": {
        "type": "object",
        "properties": {"name": NAME, "availability_zone": _AZ},
        "required": ["name"], "additionalProperties": False}},
    "required": ["aggregate"], "additionalProperties": False,
}

UPDATE = {
    "type": "object",
    "properties": {"aggregate": {
        "type": "object",
        "properties": {"name": NAME, "availability_zone": _AZ},
        "minProperties": 1, "additionalProperties": False}},
    "required": ["aggregate"], "additionalProperties": False,
}

_HOST = {"type": "object", "properties": {"host": {"type": "string", "minLength": 1,
                                                   "maxLength": 255}},
         "required": ["host"], "additionalProperties": False}

ADD_HOST = {"type": "object", "properties": {"add_host": _HOST}, "required": ["add_host"],
            "additionalProperties": False}
REMOVE_HOST = {"type": "object", "properties": {"remove_host": _HOST},
               "required": ["remove_host"], "additionalProperties": False}

SET_METADATA = {
    "type": "object",
    "properties": {"set_metadata": {
        "type": "object",
        "properties": {"metadata": {
            "type": "object",
            "patternProperties": {"^[a-zA-Z0-9-_:. ]{1,255}$": {
                "type": ["string", "null"], "maxLength": 255}},
            "additionalProperties": False}},
        "required": ["metadata"], "additionalProperties": False}},
    "required": ["set_metadata"], "additionalProperties": False,
}

CACHE_IMAGES = {
    "type": "object",
    "properties": {"cache": {
        "type": "array", "minItems": 1,
        "items": {"type": "object", "properties": {"id": {"type": "string",
                                                          "format": "uuid"}},
                  "required": ["id"], "additionalProperties": False}}},
    "required": ["cache"], "additionalProperties": False,
}
