"""/os-hypervisors (+ /detail, /{id}, /statistics)."""

import uuid

from novalite.api.compute.validation import to_bool
from novalite.api.faults import HTTPError


def _basic(req, node, service) -> dict:
    hosts = req.app.compute_api.hosts
    state = "up" if service and hosts.is_up(service) else "down"
    return {"id": node.uuid if req.version.matches(2, 53) else node.id,
            "hypervisor_hostname": node.hypervisor_hostname, "state": state,
            "status": "disabled" if service and service.disabled else "enabled"}


def _detail(req, node, service) -> dict:
    out = _basic(req, node, service)
    out.update({"hypervisor_type": node.hypervisor_type,
                "hypervisor_version": node.hypervisor_version, "host_ip": node.host_ip,
                "service": {"host": node.host,
                            "id": (service.uuid if req.version.matches(2, 53) else service.id)
                            if service else None,
                            "disabled_reason": service.disabled_reason if service else None}})
    if req.version.matches(2, 88):
        out["uptime"] = None
    else:
        out.update({"vcpus": node.vcpus, "memory_mb": node.memory_mb,
                    "local_gb": node.local_gb, "vcpus_used": node.vcpus_used,
                    "memory_mb_used": node.memory_mb_used, "local_gb_used": node.local_gb_used,
                    "free_ram_mb": node.memory_mb - node.memory_mb_used,
                    "free_disk_gb": node.local_gb - node.local_gb_used,
                    "current_workload": 0, "running_vms": node.running_vms,
                    "disk_available_least": node.local_gb - node.local_gb_used,
                    # a JSON string until 2.28, the object itself from then on
                    "cpu_info": {} if req.version.matches(2, 28) else "{}"})
    return out


_BOOLEANS = {"true", "false", "1", "0", "yes", "no", "on", "off", "t", "f", "y", "n"}


def _servers(req, node) -> list:
    return [{"uuid": i.uuid, "name": i.name}
            for i in req.app.compute_api.hosts.hypervisor_servers(req.context, node)]


def _listed(req, view):
    """The list and detail: from 2.53 filtered by hypervisor_hostname_pattern and, with
    with_servers, carrying each hypervisor's servers (as Nova)."""
    hosts = req.app.compute_api.hosts
    pattern = req.query.get("hypervisor_hostname_pattern")
    with_servers = req.query.get("with_servers")
    if not req.version.matches(2, 53) or (pattern is None and with_servers is None):
        return {"hypervisors": [view(req, n, s) for n, s in hosts.hypervisor_list(req.context)]}
    if with_servers is not None:
        if with_servers.strip().lower() not in _BOOLEANS:
            raise HTTPError(400, "Invalid input for query parameters with_servers. Value: "
                            "%s. Expected a boolean." % with_servers)
        with_servers = to_bool(with_servers)
    found = hosts.hypervisor_search(req.context, pattern, "list") if pattern is not None \
        else hosts.hypervisor_list(req.context)
    out = []
    for node, service in found:
        hypervisor = view(req, node, service)
        if with_servers:
            servers = _servers(req, node)
            if servers:  # Nova leaves the key out for a hypervisor without servers
                hypervisor["servers"] = servers
        out.append(hypervisor)
    return {"hypervisors": out}


def list_hypervisors(req):
    return _listed(req, _basic)


def list_hypervisors_detail(req):
    return _listed(req, _detail)


def search_hypervisors(req, pattern):
    """Before 2.53 (then the list's hypervisor_hostname_pattern)."""
    if req.version.matches(2, 53):
        raise HTTPError(404, "The resource could not be found.")
    found = req.app.compute_api.hosts.hypervisor_search(req.context, pattern)
    return {"hypervisors": [_basic(req, n, s) for n, s in found]}


def hypervisor_servers(req, pattern):
    """Before 2.53 (then the list's with_servers)."""
    if req.version.matches(2, 53):
        raise HTTPError(404, "The resource could not be found.")
    found = req.app.compute_api.hosts.hypervisor_search(req.context, pattern, "servers")
    out = []
    for node, service in found:
        hypervisor = _basic(req, node, service)
        servers = _servers(req, node)
        if servers:
            hypervisor["servers"] = servers
        out.append(hypervisor)
    return {"hypervisors": out}


def hypervisor_uptime(req, hypervisor_id):
    """Before 2.88 (then uptime is in the show)."""
    if req.version.matches(2, 88):
        raise HTTPError(404, "The resource could not be found.")
    node, service = _find(req, hypervisor_id)
    out = _basic(req, node, service)
    out["uptime"] = req.app.compute_api.hosts.hypervisor_uptime(req.context, node, service)
    return {"hypervisor": out}


def show_hypervisor(req, hypervisor_id):
    node, service = _find(req, hypervisor_id)
    out = _detail(req, node, service)
    if req.version.matches(2, 88) and service is not None \
            and req.app.compute_api.hosts.is_up(service):
        out["uptime"] = req.app.compute_api.hosts.hypervisor_uptime(req.context, node, service)
    return {"hypervisor": out}


def _find(req, hypervisor_id):
    hosts = req.app.compute_api.hosts
    if req.version.matches(2, 53):
        try:
            uuid.UUID(hypervisor_id)
        except ValueError:
            raise HTTPError(400, "Invalid uuid %s" % hypervisor_id) from None
        node, service = hosts.hypervisor_get(req.context, hypervisor_id)
    else:  # before 2.53 ids are the integer row ids
        found = [(n, s) for n, s in hosts.hypervisor_list(req.context)
                 if str(n.id) == hypervisor_id]
        if not found:
            raise HTTPError(404, "Hypervisor with ID '%s' could not be found." % hypervisor_id)
        node, service = found[0]
    return node, service


def hypervisor_statistics(req):
    if req.version.matches(2, 88):
        raise HTTPError(404, "The resource could not be found.")
    nodes = [n for n, _ in req.app.compute_api.hosts.hypervisor_list(req.context)]
    total = {"count": len(nodes), "vcpus": 0, "memory_mb": 0, "local_gb": 0, "vcpus_used": 0,
             "memory_mb_used": 0, "local_gb_used": 0, "running_vms": 0}
    for node in nodes:
        for key in ("vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used",
                    "local_gb_used", "running_vms"):
            total[key] += getattr(node, key)
    total.update({"free_ram_mb": total["memory_mb"] - total["memory_mb_used"],
                  "free_disk_gb": total["local_gb"] - total["local_gb_used"],
                  "current_workload": 0, "disk_available_least": total["local_gb"]
                  - total["local_gb_used"]})
    return {"hypervisor_statistics": total}
