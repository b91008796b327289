"""The server view: one function shapes a server for show, detail and (later) multi-show,
by microversion and by what the caller may see."""

import hashlib

from novalite import policy
from novalite.api.compute.status import status_from_state

_PROGRESS_STATUSES = {"ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING"}
_FAULT_STATUSES = {"ERROR", "DELETED"}


def isotime(value) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def _naive_iso(value) -> str | None:
    return value.isoformat() if value else None


def host_id(project_id: str, host: str | None) -> str:
    if not host:
        return ""
    return hashlib.sha224((project_id + host).encode()).hexdigest()


def addresses(instance, extended: bool = True) -> dict:
    if instance.vm_state == "building":
        return {}
    out: dict[str, list] = {}
    for vif in instance.network_info:
        for ip in vif["ips"]:
            address = {"version": ip["version"], "addr": ip["address"]}
            if extended:
                address.update({"OS-EXT-IPS:type": ip["type"],
                                "OS-EXT-IPS-MAC:mac_addr": vif["mac"]})
            out.setdefault(vif["network"], []).append(address)
    return out


def _flavor(req, flavor) -> dict:
    if not req.version.matches(2, 47):
        return {"id": flavor.flavorid, "links": [
            {"rel": "bookmark", "href": req.url("flavors", flavor.flavorid, versioned=False)}]}
    return {"vcpus": flavor.vcpus, "ram": flavor.memory_mb, "disk": flavor.root_gb,
            "ephemeral": flavor.ephemeral_gb, "swap": flavor.swap,
            "original_name": flavor.name, "extra_specs": dict(flavor.extra_specs)}


def _image(req, instance):
    if not instance.image_ref:
        return ""
    return {"id": instance.image_ref, "links": [
        {"rel": "bookmark", "href": req.url("images", instance.image_ref, versioned=False)}]}


def _fault(req, fault) -> dict:
    out = {"code": fault.code, "created": isotime(fault.created_at), "message": fault.message}
    if fault.details and (req.context.is_admin or fault.code != 500):
        out["details"] = fault.details
    return out


class ServerViewContext:
    """Per-request decisions made once for a whole list (policy checks, host statuses)."""

    def __init__(self, req, host_statuses: dict | None = None):
        self.req = req
        self.show_extended = policy.check(req.context,
                                          "os_compute_api:os-extended-server-attributes",
                                          {"project_id": req.context.project_id})
        self.host_statuses = host_statuses
        # The names on the servers' VIFs (or the built-in network's "default"): no call
        # to the network service per server of a list.
        self.security_groups = req.app.compute_api.server_security_groups


def basic(req, instance) -> dict:
    return {"id": instance.uuid, "name": instance.display_name,
            "links": req.links("servers", instance.uuid)}


def show(view: ServerViewContext, instance, detail_list: bool = False,
         brief: bool = False) -> dict:
    """brief: the update and rebuild responses, which before 2.75 leave out the extension
    attributes (zone, states, usage, config drive, key, volumes, host attributes)."""
    req, v = view.req, view.req.version
    brief = brief and not v.matches(2, 75)
    status = status_from_state(instance.vm_state, instance.task_state)
    server = {
        "id": instance.uuid,
        "name": instance.display_name,
        "status": status,
        "tenant_id": instance.project_id,
        "user_id": instance.user_id,
        "metadata": dict(instance.metadata),
        "hostId": host_id(instance.project_id, instance.host),
        "image": _image(req, instance),
        "flavor": _flavor(req, instance.flavor),
        "created": isotime(instance.created_at),
        "updated": isotime(instance.updated_at),
        "addresses": addresses(instance, extended=not brief),
        "accessIPv4": instance.access_ip_v4 or "",
        "accessIPv6": instance.access_ip_v6 or "",
        "links": req.links("servers", instance.uuid),
        "OS-DCF:diskConfig": "MANUAL",
    }
    if not brief:
        server.update({
            "OS-EXT-AZ:availability_zone": instance.availability_zone or "",
            "config_drive": instance.config_drive,
            "key_name": instance.key_name,
            "OS-SRV-USG:launched_at": _naive_iso(instance.launched_at),
            "OS-SRV-USG:terminated_at": _naive_iso(instance.terminated_at),
            "OS-EXT-STS:task_state": instance.task_state,
            "OS-EXT-STS:vm_state": instance.vm_state,
            "OS-EXT-STS:power_state": instance.power_state,
            "os-extended-volumes:volumes_attached": [],
        })
        groups = view.security_groups(instance)
        if groups:  # Nova leaves the key out when the server's ports have none
            server["security_groups"] = groups
    if status in _PROGRESS_STATUSES:
        server["progress"] = instance.progress or 0
    if status in _FAULT_STATUSES and instance.fault is not None:
        server["fault"] = _fault(req, instance.fault)
    if view.show_extended and not brief:
        server["OS-EXT-SRV-ATTR:host"] = instance.host
        server["OS-EXT-SRV-ATTR:hypervisor_hostname"] = instance.node
        server["OS-EXT-SRV-ATTR:instance_name"] = instance.name
        if v.matches(2, 3):
            server["OS-EXT-SRV-ATTR:reservation_id"] = instance.reservation_id
            server["OS-EXT-SRV-ATTR:launch_index"] = instance.launch_index
            server["OS-EXT-SRV-ATTR:hostname"] = instance.hostname
            server["OS-EXT-SRV-ATTR:kernel_id"] = instance.kernel_id
            server["OS-EXT-SRV-ATTR:ramdisk_id"] = instance.ramdisk_id
            server["OS-EXT-SRV-ATTR:root_device_name"] = instance.root_device_name
            server["OS-EXT-SRV-ATTR:user_data"] = instance.user_data
    elif v.matches(2, 90):
        server["OS-EXT-SRV-ATTR:hostname"] = instance.hostname
    if v.matches(2, 9):
        server["locked"] = instance.locked
    if v.matches(2, 16) and view.host_statuses is not None and not brief:
        server["host_status"] = view.host_statuses.get(instance.host, "") if instance.host \
            else ""
    if v.matches(2, 19):
        server["description"] = instance.display_description
    if v.matches(2, 26):
        server["tags"] = list(instance.tags)
    if v.matches(2, 63):
        server["trusted_image_certificates"] = None
    if v.matches(2, 71) and not detail_list:
        server["server_groups"] = []
    if v.matches(2, 73):
        server["locked_reason"] = instance.locked_reason
    if v.matches(2, 96):
        server["pinned_availability_zone"] = instance.requested_availability_zone
    return server
