"""/flavors/{id}/os-flavor-access and the flavor actions addTenantAccess and
removeTenantAccess (admin): which projects may use a private flavor."""

from novalite.api.compute.schemas import flavor_access as schemas
from novalite.api.compute.validation import validate_action


def _view(flavor_id, projects) -> dict:
    return {"flavor_access": [{"flavor_id": flavor_id, "tenant_id": p} for p in projects]}


def list_flavor_access(req, flavor_id):
    return _view(flavor_id, req.app.compute_api.flavors.list_access(req.context, flavor_id))


_ACTIONS = {"addTenantAccess": (schemas.ADD_TENANT_ACCESS, "add_access"),
            "removeTenantAccess": (schemas.REMOVE_TENANT_ACCESS, "remove_access")}


def flavor_action(req, flavor_id):
    body = req.json()
    name = validate_action(_ACTIONS, body)
    method = _ACTIONS[name][1]
    flavors = req.app.compute_api.flavors
    projects = getattr(flavors, method)(req.context, flavor_id, body[name]["tenant"])
    return _view(flavor_id, projects)
