"""/os-floating-ips: a project's floating IPs (id, ip, fixed_ip, instance_id, pool), allocated
from a pool (an external network; the default one when none is named) and released, as
Nova's FloatingIPController. Up to 2.35 (404 from 2.36)."""

from novalite.api.compute.network_proxy import network
from novalite.api.compute.schemas import floating_ips as schemas
from novalite.api.compute.validation import validate
from novalite.api.request import ApiResponse

_RULE = "os_compute_api:os-floating-ips:%s"


def list_floating_ips(req):
    proxy = network(req, _RULE % "list")
    return {"floating_ips": proxy.list_floating_ips(req.context)}


def show_floating_ip(req, floating_ip_id):
    proxy = network(req, _RULE % "show")
    return {"floating_ip": proxy.get_floating_ip(req.context, floating_ip_id)}


def create_floating_ip(req):
    proxy = network(req, _RULE % "create")
    body = req.json() if req.body else None
    validate(schemas.CREATE, body)
    return {"floating_ip": proxy.allocate_floating_ip(req.context, (body or {}).get("pool"))}


def delete_floating_ip(req, floating_ip_id):
    proxy = network(req, _RULE % "delete")
    proxy.release_floating_ip(req.context, floating_ip_id)
    return ApiResponse(202)
