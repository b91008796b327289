"""Request body of POST /os-server-external-events, as Nova's
schemas/server_external_events.py: each microversion allows one more event name."""

import copy

from novalite.objects.external_event import EVENT_STATUSES

CREATE = {
    "type": "object",
    "properties": {
        "events": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string",
                             "enum": ["network-changed", "network-vif-plugged",
                                      "network-vif-unplugged", "network-vif-deleted"]},
                    "server_uuid": {"type": "string", "format": "uuid"},
                    "status": {"type": "string", "enum": list(EVENT_STATUSES)},
                    "tag": {"type": "string", "maxLength": 255},
                },
                "required": ["name", "server_uuid"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["events"],
    "additionalProperties": False,
}


def _with_name(schema: dict, name: str) -> dict:
    out = copy.deepcopy(schema)
    out["properties"]["events"]["items"]["properties"]["name"]["enum"].append(name)
    return out


CREATE_V251 = _with_name(CREATE, "volume-extended")
CREATE_V276 = _with_name(CREATE_V251, "power-update")
CREATE_V282 = _with_name(CREATE_V276, "accelerator-request-bound")
CREATE_V293 = _with_name(CREATE_V282, "volume-reimaged")


def create_schema(version) -> dict:
    for (major, minor), schema in (((2, 93), CREATE_V293), ((2, 82), CREATE_V282),
                                   ((2, 76), CREATE_V276), ((2, 51), CREATE_V251)):
        if version.matches(major, minor):
            return schema
    return CREATE
