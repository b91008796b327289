"""Request body of POST /servers/multi_show (a novalite extension)."""

from novalite.api.compute.validation import BOOLEAN

MULTI_SHOW = {
    "type": "object",
    "properties": {
        # Each id is checked afterwards (cheaper than jsonschema per item), naming the bad
        # value.
        "servers": {"type": "array", "minItems": 1},
        "ignore_missing": BOOLEAN,
        "all_tenants": BOOLEAN,
    },
    "required": ["servers"],
    "additionalProperties": False,
}
