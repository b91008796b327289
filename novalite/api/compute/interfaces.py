"""/servers/{id}/os-interface: a server's port interfaces, as Nova's attach_interfaces.py.
An interfaceAttachment is the port as the network service has it (port_state, fixed_ips
[{subnet_id, ip_address}], port_id, net_id, mac_addr) and, from 2.70, its device tag
(asked for on attach from 2.49)."""

from novalite.api.compute.schemas import interfaces as schemas
from novalite.api.compute.validation import validate
from novalite.api.request import ApiResponse


def _view(req, port: dict, tag) -> dict:
    info = {"net_id": port["network_id"], "port_id": port["id"],
            "mac_addr": port["mac_address"], "port_state": port["status"],
            "fixed_ips": port.get("fixed_ips")}
    if req.version.matches(2, 70):
        info["tag"] = tag
    return info


def list_interfaces(req, server_id):
    found = req.app.compute_api.list_interfaces(req.context, server_id)
    return {"interfaceAttachments": [_view(req, port, tag) for port, tag in found]}


def show_interface(req, server_id, port_id):
    port, tag = req.app.compute_api.show_interface(req.context, server_id, port_id)
    return {"interfaceAttachment": _view(req, port, tag)}


def create_interface(req, server_id):
    body = req.json() if req.body else {}
    validate(schemas.create_schema(req.version), body)
    attachment = body.get("interfaceAttachment") or {}
    fixed_ips = attachment.get("fixed_ips") or [{}]
    port, tag = req.app.compute_api.attach_interface(
        req.context, server_id, network_id=attachment.get("net_id"),
        port_id=attachment.get("port_id"), fixed_ip=fixed_ips[0].get("ip_address"),
        tag=attachment.get("tag"))
    return {"interfaceAttachment": _view(req, port, tag)}


def delete_interface(req, server_id, port_id):
    req.app.compute_api.detach_interface(req.context, server_id, port_id)
    return ApiResponse(202)
