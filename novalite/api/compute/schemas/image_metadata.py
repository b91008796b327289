"""Bodies of Nova's image-metadata proxy: {"metadata": {...}} and {"meta": {key: value}}."""

_ITEMS = {"type": "object",
          "patternProperties": {"^.{1,255}$": {"type": "string", "maxLength": 255}},
          "additionalProperties": False}

METADATA = {"type": "object", "properties": {"metadata": _ITEMS}, "required": ["metadata"],
            "additionalProperties": False}
META_ITEM = {"type": "object",
             "properties": {"meta": {**_ITEMS, "minProperties": 1, "maxProperties": 1}},
             "required": ["meta"], "additionalProperties": False}
