"""Request body schemas for /servers, as Nova's schemas/servers.py (the parts we serve)."""

import copy

from novalite.api.compute.validation import (
    BOOLEAN,
    DESCRIPTION,
    METADATA,
    NAME,
    POSITIVE_INTEGER,
)

_NETWORK_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "fixed_ip": {"type": "string", "format": "ipv4"},
            "port": {"type": ["string", "null"], "format": "uuid"},
            "uuid": {"type": "string"},
            "tag": {"type": "string", "maxLength": 60},
        },
        "additionalProperties": False,
    },
}

_BDM_V2 = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "uuid": {"type": "string"}, "boot_index": {"type": ["integer", "string", "null"]},
            "source_type": {"type": "string", "enum": ["volume", "image", "snapshot", "blank"]},
            "destination_type": {"type": "string", "enum": ["local", "volume"]},
            "delete_on_termination": BOOLEAN, "device_name": {"type": "string"},
            "volume_size": {"type": ["integer", "string", "null"]},
            "guest_format": {"type": "string"}, "disk_bus": {"type": "string"},
            "device_type": {"type": "string"}, "tag": {"type": "string"},
            "volume_type": {"type": ["string", "null"]},
        },
        "additionalProperties": False,
    },
}

_SERVER_PROPERTIES = {
    "name": NAME,
    "imageRef": {"type": "string", "maxLength": 255},
    "flavorRef": {"type": ["string", "integer"], "minLength": 1},
    "adminPass": {"type": "string"},
    "metadata": METADATA,
    "networks": _NETWORK_LIST,
    "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
    "accessIPv4": {"type": "string", "format": "ipv4"},
    "accessIPv6": {"type": "string", "format": "ipv6"},
    "availability_zone": {"type": "string", "minLength": 1, "maxLength": 255},
    "block_device_mapping_v2": _BDM_V2,
    "config_drive": BOOLEAN,
    "key_name": {"type": "string", "minLength": 1, "maxLength": 255},
    "min_count": POSITIVE_INTEGER,
    "max_count": POSITIVE_INTEGER,
    "return_reservation_id": BOOLEAN,
    "security_groups": {
        "type": "array",
        "items": {"type": "object",
                  "properties": {"name": {"type": "string", "minLength": 1}},
                  "additionalProperties": False},
    },
    "user_data": {"type": "string", "format": "base64", "maxLength": 65535},
}

CREATE = {
    "type": "object",
    "properties": {
        "server": {"type": "object", "properties": _SERVER_PROPERTIES,
                   "required": ["name", "flavorRef"], "additionalProperties": False},
        "os:scheduler_hints": {"type": "object"},
        "OS-SCH-HNT:scheduler_hints": {"type": "object"},
    },
    "required": ["server"],
    "additionalProperties": False,
}

CREATE_V219 = copy.deepcopy(CREATE)
CREATE_V219["properties"]["server"]["properties"]["description"] = DESCRIPTION

CREATE_V237 = copy.deepcopy(CREATE_V219)
CREATE_V237["properties"]["server"]["properties"]["networks"] = {
    "oneOf": [_NETWORK_LIST, {"type": "string", "enum": ["none", "auto"]}]}
CREATE_V237["properties"]["server"]["required"].append("networks")

CREATE_V252 = copy.deepcopy(CREATE_V237)
CREATE_V252["properties"]["server"]["properties"]["tags"] = {
    "type": "array", "maxItems": 50,
    "items": {"type": "string", "minLength": 1, "maxLength": 60, "pattern": "^[^,/]*$"}}

CREATE_V263 = copy.deepcopy(CREATE_V252)
CREATE_V263["properties"]["server"]["properties"]["trusted_image_certificates"] = {
    "type": ["array", "null"], "maxItems": 0}

# 2.90: a hostname (one DNS label) on create, update and rebuild.
HOSTNAME = {"type": "string", "minLength": 1, "maxLength": 63,
            "pattern": r"^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$"}
CREATE_V290 = copy.deepcopy(CREATE_V263)
CREATE_V290["properties"]["server"]["properties"]["hostname"] = HOSTNAME

# 2.94: the hostname may be a fully qualified name, free form up to 255 characters.
FQDN = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[a-zA-Z0-9-._]*$"}
CREATE_V294 = copy.deepcopy(CREATE_V290)
CREATE_V294["properties"]["server"]["properties"]["hostname"] = FQDN


def create_schema(version) -> dict:
    for (major, minor), schema in (((2, 94), CREATE_V294), ((2, 90), CREATE_V290),
                                   ((2, 63), CREATE_V263), ((2, 52), CREATE_V252),
                                   ((2, 37), CREATE_V237), ((2, 19), CREATE_V219)):
        if version.matches(major, minor):
            return schema
    return CREATE


UPDATE = {
    "type": "object",
    "properties": {
        "server": {
            "type": "object",
            "properties": {"name": NAME, "accessIPv4": {"type": "string", "format": "ipv4"},
                           "accessIPv6": {"type": "string", "format": "ipv6"},
                           "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]}},
            "additionalProperties": False,
        },
    },
    "required": ["server"],
    "additionalProperties": False,
}
UPDATE_V219 = copy.deepcopy(UPDATE)
UPDATE_V219["properties"]["server"]["properties"]["description"] = DESCRIPTION
UPDATE_V290 = copy.deepcopy(UPDATE_V219)
UPDATE_V290["properties"]["server"]["properties"]["hostname"] = HOSTNAME

UPDATE_V294 = copy.deepcopy(UPDATE_V290)
UPDATE_V294["properties"]["server"]["properties"]["hostname"] = FQDN


def update_schema(version) -> dict:
    if version.matches(2, 94):
        return UPDATE_V294
    if version.matches(2, 90):
        return UPDATE_V290
    return UPDATE_V219 if version.matches(2, 19) else UPDATE


REBOOT = {
    "type": "object",
    "properties": {
        "reboot": {
            "type": "object",
            "properties": {"type": {"type": "string",
                                    "enum": ["HARD", "Hard", "hard", "SOFT", "Soft", "soft"]}},
            "required": ["type"],
            "additionalProperties": False,
        },
    },
    "required": ["reboot"],
    "additionalProperties": False,
}
