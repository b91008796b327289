"""/os-availability-zone (+ /detail with hosts and services, admin)."""

from novalite.api.compute.server_view import isotime


def list_availability_zones(req):
    zones = sorted(req.app.compute_api.hosts.compute_availability_zones())
    return {"availabilityZoneInfo": [
        {"zoneName": z, "zoneState": {"available": True}, "hosts": None} for z in zones]}


def list_availability_zones_detail(req):
    req.context.can("os_compute_api:os-availability-zone:detail")
    hosts_api = req.app.compute_api.hosts
    zones: dict[str, dict] = {z: {} for z in hosts_api.compute_availability_zones()}
    host_zones = hosts_api.host_zones()
    for service in hosts_api.service_list(req.context):
        zone = zones.setdefault(hosts_api.availability_zone_of(service, host_zones), {})
        zone.setdefault(service.host, {})[service.binary.replace("novalite-", "nova-")] = {
            "available": hosts_api.is_up(service) and not service.disabled,
            "active": not service.disabled, "updated_at": isotime(service.updated_at)}
    return {"availabilityZoneInfo": [
        {"zoneName": name, "zoneState": {"available": True}, "hosts": hosts or None}
        for name, hosts in sorted(zones.items())]}
