"""/flavors/{id}/os-flavor-access and the flavor actions addTenantAccess and
removeTenantAccess (admin): which projects may use a private flavor."""

from novalite.api.compute.schemas import flavor_access as schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError


def _view(flavor_id, projects) -> dict:
    return {"flavor_access": [{"flavor_id": flavor_id, "tenant_id": p} for p in projects]}


def list_flavor_access(req, flavor_id):
    return _view(flavor_id, req.app.compute_api.flavors.list_access(req.context, flavor_id))


_ACTIONS = {"addTenantAccess": (schemas.ADD_TENANT_ACCESS, "add_access"),
            "removeTenantAccess": (schemas.REMOVE_TENANT_ACCESS, "remove_access")}


def flavor_action(req, flavor_id):
    body = req.json()
    if not isinstance(body, dict) or len(body) != 1 or next(iter(body)) not in _ACTIONS:
        raise HTTPError(400, "The action must be one of: %s" % ", ".join(_ACTIONS))
    name = next(iter(body))
    schema, method = _ACTIONS[name]
    validate(schema, body)
    flavors = req.app.compute_api.flavors
    projects = getattr(flavors, method)(req.context, flavor_id, body[name]["tenant"])
    return _view(flavor_id, projects)
