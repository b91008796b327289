"""Request body schemas for /os-keypairs, as Nova's schemas/keypairs.py. The characters a
name may hold depend on the microversion and are checked by the handler (Nova's format
checkers), so that the error names them."""

import copy

from novalite.api.compute.validation import NAME

CREATE = {
    "type": "object",
    "properties": {
        "keypair": {
            "type": "object",
            "properties": {"name": NAME, "public_key": {"type": "string"}},
            "required": ["name"],
            "additionalProperties": False,
        },
    },
    "required": ["keypair"],
    "additionalProperties": False,
}

CREATE_V22 = copy.deepcopy(CREATE)
CREATE_V22["properties"]["keypair"]["properties"]["type"] = {"type": "string",
                                                             "enum": ["ssh", "x509"]}

CREATE_V210 = copy.deepcopy(CREATE_V22)
# (Nova sets no length; the column holds 255, and a longer id can belong to no user.)
CREATE_V210["properties"]["keypair"]["properties"]["user_id"] = {"type": "string",
                                                                  "maxLength": 255}

# 2.92: no more server-generated keys, so a public key is required.
CREATE_V292 = copy.deepcopy(CREATE_V210)
CREATE_V292["properties"]["keypair"]["required"] = ["name", "public_key"]


def create_schema(version) -> dict:
    for (major, minor), schema in (((2, 92), CREATE_V292), ((2, 10), CREATE_V210),
                                   ((2, 2), CREATE_V22)):
        if version.matches(major, minor):
            return schema
    return CREATE
