"""The rebuild action's body per microversion, as Nova's schemas/servers.py."""

import copy

from novalite.api.compute.schemas.servers import FQDN, HOSTNAME
from novalite.api.compute.validation import BOOLEAN, DESCRIPTION, METADATA, NAME

REBUILD = {
    "type": "object",
    "properties": {
        "rebuild": {
            "type": "object",
            "properties": {
                "name": NAME,
                "imageRef": {"type": "string", "maxLength": 255},
                "adminPass": {"type": "string"},
                "metadata": METADATA,
                "preserve_ephemeral": BOOLEAN,
                "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
                "accessIPv4": {"type": "string", "format": "ipv4"},
                "accessIPv6": {"type": "string", "format": "ipv6"},
                "personality": {"type": "array", "maxItems": 0},  # none accepted
            },
            "required": ["imageRef"],
            "additionalProperties": False,
        },
    },
    "required": ["rebuild"],
    "additionalProperties": False,
}
REBUILD_V219 = copy.deepcopy(REBUILD)
REBUILD_V219["properties"]["rebuild"]["properties"]["description"] = DESCRIPTION
REBUILD_V254 = copy.deepcopy(REBUILD_V219)
REBUILD_V254["properties"]["rebuild"]["properties"]["key_name"] = {
    "type": ["string", "null"], "minLength": 1, "maxLength": 255}
REBUILD_V257 = copy.deepcopy(REBUILD_V254)
REBUILD_V257["properties"]["rebuild"]["properties"].pop("personality")
REBUILD_V257["properties"]["rebuild"]["properties"]["user_data"] = {
    "type": ["string", "null"], "format": "base64", "maxLength": 65535}
REBUILD_V263 = copy.deepcopy(REBUILD_V257)
REBUILD_V263["properties"]["rebuild"]["properties"]["trusted_image_certificates"] = {
    "type": ["array", "null"], "maxItems": 0}  # no certificate validation: only empty
REBUILD_V290 = copy.deepcopy(REBUILD_V263)
REBUILD_V290["properties"]["rebuild"]["properties"]["hostname"] = HOSTNAME
REBUILD_V294 = copy.deepcopy(REBUILD_V290)
REBUILD_V294["properties"]["rebuild"]["properties"]["hostname"] = FQDN


def rebuild_schema(version) -> dict:
    for (major, minor), schema in (((2, 94), REBUILD_V294), ((2, 90), REBUILD_V290),
                                   ((2, 63), REBUILD_V263), ((2, 57), REBUILD_V257),
                                   ((2, 54), REBUILD_V254), ((2, 19), REBUILD_V219)):
        if version.matches(major, minor):
            return schema
    return REBUILD
