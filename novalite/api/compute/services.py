"""/os-services: list, and enable/disable/force-down: by uuid from 2.53, by host and binary
in the body before."""

import copy

from oslo_utils import uuidutils

from novalite.api.compute.schemas.servers import FQDN
from novalite.api.compute.server_view import isotime
from novalite.api.compute.validation import BOOLEAN, to_bool, validate
from novalite.api.faults import HTTPError

_REASON = {"type": "string", "minLength": 1, "maxLength": 255}
UPDATE_V253 = {
    "type": "object",
    "properties": {"status": {"type": "string", "enum": ["enabled", "disabled"]},
                   "disabled_reason": _REASON, "forced_down": BOOLEAN},
    "additionalProperties": False,
}
# Before 2.53 the path names the action and the body the service.
UPDATE = {
    "type": "object",
    "properties": {"host": FQDN, "binary": {"type": "string", "minLength": 1, "maxLength": 255},
                   "disabled_reason": _REASON},
    "required": ["host", "binary"],
    "additionalProperties": False,
}
UPDATE_V211 = copy.deepcopy(UPDATE)
UPDATE_V211["properties"]["forced_down"] = BOOLEAN


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
        return _update_by_host(req, service_id)
    if not uuidutils.is_uuid_like(service_id):
        raise HTTPError(400, "Invalid uuid %s" % service_id)
    body = req.json()
    validate(UPDATE_V253, body)
    values = {}
    if "status" in body:
        values["disabled"] = body["status"] == "disabled"
        if not values["disabled"] and body.get("disabled_reason"):
            raise HTTPError(400, "Specifying 'disabled_reason' with status 'enabled' is "
                                 "invalid.")
        values["disabled_reason"] = body.get("disabled_reason")
    if "forced_down" in body:
        values["forced_down"] = to_bool(body["forced_down"])
    if not values:
        raise HTTPError(400, "No updates were requested. Fields 'status' or 'forced_down' "
                             "should be specified.")
    service = req.app.compute_api.hosts.service_update(req.context, service_id, values)
    return {"service": _view(req, service)}


def _update_by_host(req, action):
    """PUT /os-services/enable|disable|disable-log-reason|force-down (2.11), as before 2.53:
    the answer echoes what was set."""
    actions = ("enable", "disable", "disable-log-reason") + (
        ("force-down",) if req.version.matches(2, 11) else ())
    if action not in actions:
        raise HTTPError(404, "Unknown action")
    body = req.json()
    validate(UPDATE_V211 if req.version.matches(2, 11) else UPDATE, body)
    out = {"host": body["host"], "binary": body["binary"]}
    if action == "force-down":
        if "forced_down" not in body:
            raise HTTPError(400, "Missing forced_down field")
        values = {"forced_down": to_bool(body["forced_down"])}
        out.update(values)
    elif action == "enable":
        values = {"disabled": False, "disabled_reason": None}
        out["status"] = "enabled"
    else:
        reason = None
        if action == "disable-log-reason":
            if "disabled_reason" not in body:
                raise HTTPError(400, "Missing disabled reason field")
            reason = out["disabled_reason"] = body["disabled_reason"]
        values = {"disabled": True, "disabled_reason": reason}
        out["status"] = "disabled"
    req.app.compute_api.hosts.service_update_by_host(req.context, body["host"],
                                                     body["binary"], values)
    return {"service": out}
