"""Bodies of the server actions whose value is checked (Nova's schemas); the others take
any value ({"pause": null} is the documented one)."""

LOCK_V273 = {
    "type": "object",
    "properties": {
        "lock": {
            "type": ["object", "null"],
            "properties": {
                "locked_reason": {"type": "string", "minLength": 1, "maxLength": 255},
            },
            "additionalProperties": False,
        },
    },
    "required": ["lock"],
    "additionalProperties": False,
}

RESET_STATE = {
    "type": "object",
    "properties": {
        "os-resetState": {
            "type": "object",
            "properties": {"state": {"type": "string", "enum": ["active", "error"]}},
            "required": ["state"],
            "additionalProperties": False,
        },
    },
    "required": ["os-resetState"],
    "additionalProperties": False,
}

TRIGGER_CRASH_DUMP = {
    "type": "object",
    "properties": {"trigger_crash_dump": {"type": "null"}},
    "required": ["trigger_crash_dump"],
    "additionalProperties": False,
}

RESCUE = {
    "type": "object",
    "properties": {
        "rescue": {
            "type": ["object", "null"],
            "properties": {
                "adminPass": {"type": "string"},
                "rescue_image_ref": {"type": "string", "format": "uuid"},
            },
            "additionalProperties": False,
        },
    },
    "required": ["rescue"],
    "additionalProperties": False,
}

UNRESCUE = {
    "type": "object",
    "properties": {"unrescue": {}},
    "required": ["unrescue"],
    "additionalProperties": False,
}

CHANGE_PASSWORD = {
    "type": "object",
    "properties": {
        "changePassword": {
            "type": "object",
            "properties": {"adminPass": {"type": "string"}},
            "required": ["adminPass"],
            "additionalProperties": False,
        },
    },
    "required": ["changePassword"],
    "additionalProperties": False,
}

SHELVE = {
    "type": "object",
    "properties": {"shelve": {}},
    "required": ["shelve"],
    "additionalProperties": False,
}

SHELVE_OFFLOAD = {
    "type": "object",
    "properties": {"shelveOffload": {}},
    "required": ["shelveOffload"],
    "additionalProperties": False,
}

UNSHELVE = {
    "type": "object",
    "properties": {"unshelve": {}},
    "required": ["unshelve"],
    "additionalProperties": False,
}

# 2.77: {"unshelve": null} or {"unshelve": {"availability_zone": "<zone>"}}, not {}.
UNSHELVE_V277 = {
    "type": "object",
    "properties": {
        "unshelve": {
            "type": ["object", "null"],
            "properties": {
                "availability_zone": {"type": "string", "minLength": 1, "maxLength": 255},
            },
            "required": ["availability_zone"],
            "additionalProperties": False,
        },
    },
    "required": ["unshelve"],
    "additionalProperties": False,
}

# 2.91: a null zone unpins the server; an administrator may name the host.
UNSHELVE_V291 = {
    "type": "object",
    "properties": {
        "unshelve": {
            "type": ["object", "null"],
            "properties": {
                "availability_zone": {"type": ["string", "null"]},
                "host": {"type": "string"},
            },
            "additionalProperties": False,
        },
    },
    "required": ["unshelve"],
    "additionalProperties": False,
}

RESIZE = {
    "type": "object",
    "properties": {
        "resize": {
            "type": "object",
            "properties": {
                "flavorRef": {"type": ["string", "integer"], "minLength": 1},
                "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
            },
            "required": ["flavorRef"],
            "additionalProperties": False,
        },
    },
    "required": ["resize"],
    "additionalProperties": False,
}

# 2.56: an administrator may name the destination.
MIGRATE_V256 = {
    "type": "object",
    "properties": {
        "migrate": {
            "type": ["object", "null"],
            "properties": {
                "host": {"type": "string", "minLength": 1, "maxLength": 255,
                         "pattern": "^[a-zA-Z0-9-._]*$"},
            },
            "additionalProperties": False,
        },
    },
    "required": ["migrate"],
    "additionalProperties": False,
}

_HOST_OR_NULL = {"type": ["string", "null"], "minLength": 1, "maxLength": 255,
                 "pattern": "^[a-zA-Z0-9-._]*$"}
_BOOLEAN = {"type": ["boolean", "string"],
            "enum": [True, "True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes",
                     "yes", False, "False", "FALSE", "false", "0", "OFF", "Off", "off",
                     "NO", "No", "no"]}


def migrate_live_schema(version) -> dict:
    """os-migrateLive's body: block_migration and disk_over_commit (booleans) until 2.25,
    then block_migration may be "auto" and disk_over_commit is gone; force 2.30-2.67."""
    if version.matches(2, 25):
        properties = {"block_migration": {"anyOf": [_BOOLEAN, {"enum": ["auto"]}]},
                      "host": _HOST_OR_NULL}
        if version.matches(2, 30) and not version.matches(2, 68):
            properties["force"] = _BOOLEAN
        required = ["block_migration", "host"]
    else:
        properties = {"block_migration": _BOOLEAN, "disk_over_commit": _BOOLEAN,
                      "host": _HOST_OR_NULL}
        required = ["block_migration", "disk_over_commit", "host"]
    return {"type": "object",
            "properties": {"os-migrateLive": {"type": "object", "properties": properties,
                                              "required": required,
                                              "additionalProperties": False}},
            "required": ["os-migrateLive"], "additionalProperties": False}


def evacuate_schema(version) -> dict:
    """evacuate's body: onSharedStorage (required) until 2.14; force 2.29-2.67."""
    properties = {"host": {"type": "string", "minLength": 1, "maxLength": 255,
                           "pattern": "^[a-zA-Z0-9-._]*$"},
                  "adminPass": {"type": "string"}}
    body = {"type": "object", "properties": properties, "additionalProperties": False}
    if not version.matches(2, 14):
        properties["onSharedStorage"] = _BOOLEAN
        body["required"] = ["onSharedStorage"]
    if version.matches(2, 29) and not version.matches(2, 68):
        properties["force"] = _BOOLEAN
    return {"type": "object", "properties": {"evacuate": body}, "required": ["evacuate"],
            "additionalProperties": False}


def _one_field(action: str, field: str, schema: dict, optional: dict | None = None) -> dict:
    return {"type": "object",
            "properties": {action: {"type": "object",
                                    "properties": {field: schema, **(optional or {})},
                                    "required": [field], "additionalProperties": False}},
            "required": [action], "additionalProperties": False}


_IP = {"type": "string", "oneOf": [{"format": "ipv4"}, {"format": "ipv6"}]}
ADD_SECURITY_GROUP = _one_field("addSecurityGroup", "name",
                                {"type": "string", "minLength": 1, "maxLength": 255})
REMOVE_SECURITY_GROUP = _one_field("removeSecurityGroup", "name",
                                   {"type": "string", "minLength": 1, "maxLength": 255})
ADD_FIXED_IP = _one_field("addFixedIp", "networkId",
                          {"type": ["string", "integer"], "minLength": 1})
REMOVE_FIXED_IP = _one_field("removeFixedIp", "address", _IP)
ADD_FLOATING_IP = _one_field("addFloatingIp", "address", _IP, {"fixed_address": _IP})
REMOVE_FLOATING_IP = _one_field("removeFloatingIp", "address", _IP)
