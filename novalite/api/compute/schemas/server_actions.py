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
