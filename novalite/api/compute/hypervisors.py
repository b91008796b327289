"""/os-hypervisors (+ /detail, /{id}, /statistics)."""

import uuid

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


def list_hypervisors(req):
    return {"hypervisors": [_basic(req, n, s) for n, s in
                            req.app.compute_api.hosts.hypervisor_list(req.context)]}


def list_hypervisors_detail(req):
    return {"hypervisors": [_detail(req, n, s) for n, s in
                            req.app.compute_api.hosts.hypervisor_list(req.context)]}


def show_hypervisor(req, hypervisor_id):
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
    return {"hypervisor": _detail(req, node, service)}


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
