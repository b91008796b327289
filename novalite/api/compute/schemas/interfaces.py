"""Request body of POST /servers/{id}/os-interface, as Nova's schemas/attach_interfaces.py:
a network or a port (one at most: the handler's check), one fixed IP, and from 2.49 a
device tag."""

import copy

_IP = {"type": "string", "oneOf": [{"format": "ipv4"}, {"format": "ipv6"}]}

CREATE = {
    "type": "object",
    "properties": {
        "interfaceAttachment": {
            "type": "object",
            "properties": {
                "net_id": {"type": "string", "format": "uuid"},
                "port_id": {"type": "string", "format": "uuid"},
                "fixed_ips": {
                    "type": "array", "minItems": 1, "maxItems": 1,
                    "items": {
                        "type": "object",
                        "properties": {"ip_address": _IP},
                        "required": ["ip_address"],
                        "additionalProperties": False,
                    },
                },
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}

CREATE_V249 = copy.deepcopy(CREATE)
CREATE_V249["properties"]["interfaceAttachment"]["properties"]["tag"] = {
    "type": "string", "pattern": "^[^,/]*$", "minLength": 1, "maxLength": 60}


def create_schema(version) -> dict:
    return CREATE_V249 if version.matches(2, 49) else CREATE
