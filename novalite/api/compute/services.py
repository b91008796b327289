"""/os-services: list, and enable/disable/force-down by id (2.53 UUIDs)."""

from novalite.api.compute.server_view import isotime
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError

UPDATE = {
    "type": "object",
    "properties": {"status": {"type": "string", "enum": ["enabled", "disabled"]},
                   "disabled_reason": {"type": ["string", "null"], "maxLength": 255},
                   "forced_down": {"type": "boolean"}},
    "additionalProperties": False,
    "minProperties": 1,
}


def _view(req, service) -> dict:
    hosts = req.app.compute_api.hosts
    return {"id": service.uuid if req.version.matches(2, 53) else service.id,
            "binary": service.binary.replace("novalite-", "nova-"),
            "host": service.host, "zone": hosts.availability_zone_of(service),
            "status": "disabled" if service.disabled else "enabled",
            "state": "up" if hosts.is_up(service) else "down",
            "updated_at": isotime(service.updated_at),
            "disabled_reason": service.disabled_reason,
            **({"forced_down": service.forced_down} if req.version.matches(2, 11) else {})}


def list_services(req):
    binary = req.query.get("binary")
    if binary:
        binary = binary.replace("nova-", "novalite-")
    services = req.app.compute_api.hosts.service_list(req.context, host=req.query.get("host"),
                                                      binary=binary)
    return {"services": [_view(req, s) for s in services]}


def update_service(req, service_id):
    if not req.version.matches(2, 53):
        raise HTTPError(404, "The resource could not be found.")
    body = req.json()
    validate(UPDATE, body)
    values = {}
    if "status" in body:
        values["disabled"] = body["status"] == "disabled"
        values["disabled_reason"] = body.get("disabled_reason") if values["disabled"] else None
    elif "disabled_reason" in body:
        raise HTTPError(400, "Specifying 'disabled_reason' with status 'enabled' is invalid.")
    if "forced_down" in body:
        values["forced_down"] = body["forced_down"]
    service = req.app.compute_api.hosts.service_update(req.context, service_id, values)
    return {"service": _view(req, service)}
