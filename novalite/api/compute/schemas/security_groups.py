"""Request schemas for /os-security-groups and /os-security-group-rules, as Nova's
schemas/security_groups.py (extra keys allowed, as Nova keeps them; ports, protocol and
cidr are checked by the code, with Nova's messages)."""

_GROUP = {
    "type": "object",
    "properties": {
        "security_group": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 0, "maxLength": 255},
                "description": {"type": "string", "minLength": 0, "maxLength": 255},
            },
            "required": ["name", "description"],
            "additionalProperties": True,
        },
    },
    "required": ["security_group"],
    "additionalProperties": True,
}

CREATE = _GROUP
UPDATE = _GROUP

CREATE_RULE = {
    "type": "object",
    "properties": {
        "security_group_rule": {
            "type": "object",
            "properties": {
                "group_id": {"type": ["string", "null"], "format": "uuid"},
                "parent_group_id": {"type": "string", "format": "uuid"},
                "to_port": {}, "from_port": {}, "ip_protocol": {}, "cidr": {},
            },
            "required": ["parent_group_id"],
            "additionalProperties": True,
        },
    },
    "required": ["security_group_rule"],
    "additionalProperties": True,
}
