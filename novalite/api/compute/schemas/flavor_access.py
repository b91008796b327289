"""Bodies of POST /flavors/{id}/action: addTenantAccess and removeTenantAccess (Nova's)."""

_TENANT = {"type": "object", "properties": {
    "tenant": {"type": "string", "minLength": 1, "maxLength": 255}},
    "required": ["tenant"], "additionalProperties": False}


def _action(name: str) -> dict:
    return {"type": "object", "properties": {name: _TENANT}, "required": [name],
            "additionalProperties": False}


ADD_TENANT_ACCESS = _action("addTenantAccess")
REMOVE_TENANT_ACCESS = _action("removeTenantAccess")
