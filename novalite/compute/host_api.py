"""Hosts as operators see them: services, hypervisors and availability zones."""

from novalite import exception
from novalite.db import aggregates as db_aggregates
from novalite.db import compute_nodes as db_nodes
from novalite.db import instances as db_instances
from novalite.db import server_migrations as db_migrations
from novalite.db import services as db_services
from novalite.scheduler.host_state import service_is_up


class HostAPI:
    def __init__(self, conf, database, compute_rpc=None):
        self.conf = conf
        self.database = database
        self.compute_rpc = compute_rpc

    def is_up(self, service) -> bool:
        return service_is_up(service, self.conf.service_down_time)

    def service_list(self, ctxt, host=None, binary=None):
        ctxt.can("os_compute_api:os-services:list")
        return db_services.list_(self.database, host=host, binary=binary)

    def service_get(self, ctxt, service_uuid):
        ctxt.can("os_compute_api:os-services:list")
        return db_services.get_by_uuid(self.database, service_uuid)

    def service_update(self, ctxt, service_uuid, values: dict):
        """Enable/disable/force down a compute service (2.53: by its uuid)."""
        ctxt.can("os_compute_api:os-services:update")
        service = db_services.get_by_uuid(self.database, service_uuid)
        self._update_compute_service(service, values)
        return db_services.get_by_uuid(self.database, service_uuid)

    def service_update_by_host(self, ctxt, host: str, binary: str, values: dict) -> None:
        """The same before 2.53, where a body's host and binary name the service."""
        ctxt.can("os_compute_api:os-services:update")
        if binary != "nova-compute":
            raise exception.ServiceUpdateNotSupported(binary=binary)
        found = db_services.list_(self.database, host=host, binary="novalite-compute")
        if not found:
            raise exception.HostBinaryNotFound(host=host, binary=binary)
        self._update_compute_service(found[0], values)

    def _update_compute_service(self, service, values: dict) -> None:
        if service.binary != "novalite-compute":
            raise exception.ServiceUpdateNotSupported(
                binary=service.binary.replace("novalite-", "nova-"))
        if values.get("forced_down") is False and db_migrations.list_(self.database, {
                "source_compute": service.host, "status": "done",
                "migration_type": "evacuation"}):
            # The host has not restarted since servers were evacuated from it, so its
            # leftovers are still there: up again, it would run them twice (Nova's check).
            raise exception.EvacuationsNotCleaned(host=service.host)
        db_services.update(self.database, service.uuid, values)

    def host_statuses(self, hosts) -> dict:
        """host -> UP / DOWN / MAINTENANCE / UNKNOWN (as Nova's host_status)."""
        out = {}
        for service in db_services.list_(self.database, binary="novalite-compute"):
            if service.host not in hosts:
                continue
            if service.forced_down:
                out[service.host] = "DOWN"
            elif service.disabled:
                out[service.host] = "MAINTENANCE"
            else:
                out[service.host] = "UP" if self.is_up(service) else "DOWN"
        return {h: out.get(h, "UNKNOWN") for h in hosts}

    def availability_zone_of(self, service, zones: dict | None = None) -> str:
        """A compute host's zone comes from its aggregates; other services are internal."""
        if service.binary == "novalite-compute":
            zones = db_aggregates.host_zones(self.database) if zones is None else zones
            return zones.get(service.host, self.conf.default_availability_zone)
        return self.conf.internal_service_availability_zone

    def host_zones(self) -> dict:
        return db_aggregates.host_zones(self.database)

    def compute_availability_zones(self) -> set[str]:
        """Zones that hold compute hosts (the default one while any host is outside every
        zoned aggregate, as Nova lists it)."""
        zones = db_aggregates.host_zones(self.database)
        hosts = {s.host for s in db_services.list_(self.database, binary="novalite-compute")}
        found = {zones[h] for h in hosts if h in zones}
        if not hosts or hosts - set(zones):
            found.add(self.conf.default_availability_zone)
        return found

    def hypervisor_list(self, ctxt):
        """[(compute node, its compute service or None)]"""
        ctxt.can("os_compute_api:os-hypervisors:list")
        services = {s.host: s for s in
                    db_services.list_(self.database, binary="novalite-compute")}
        return [(node, services.get(node.host)) for node in db_nodes.list_(self.database)]

    def hypervisor_search(self, ctxt, pattern: str, policy_name: str = "search"):
        """[(node, service)] whose hypervisor hostname contains pattern (Nova's LIKE
        %pattern%); none found is HypervisorNotFound, as Nova answers."""
        ctxt.can("os_compute_api:os-hypervisors:" + policy_name)
        found = [(n, s) for n, s in self._nodes() if pattern in n.hypervisor_hostname]
        if not found:
            raise exception.NotFound("No hypervisor matching '%s' could be found." % pattern)
        return found

    def hypervisor_servers(self, ctxt, node) -> list:
        """The instances on a hypervisor (by its host and node), as Nova lists them."""
        ctxt.can("os_compute_api:os-hypervisors:servers")
        return [i for i in db_instances.get_by_host(self.database, node.host)
                if i.node in (None, node.hypervisor_hostname)]

    def hypervisor_uptime(self, ctxt, node, service) -> str:
        """The host's uptime line, asked of the host itself over RPC (as Nova)."""
        ctxt.can("os_compute_api:os-hypervisors:uptime")
        if service is None or not self.is_up(service):
            raise exception.Conflict("Compute service of %s is unavailable at this time."
                                     % node.host)
        return self.compute_rpc.get_host_uptime(ctxt, node.host)

    def _nodes(self):
        services = {s.host: s for s in
                    db_services.list_(self.database, binary="novalite-compute")}
        return [(node, services.get(node.host)) for node in db_nodes.list_(self.database)]

    def hypervisor_get(self, ctxt, node_uuid):
        ctxt.can("os_compute_api:os-hypervisors:list")
        node = db_nodes.get_by_uuid(self.database, node_uuid)
        services = db_services.list_(self.database, host=node.host, binary="novalite-compute")
        return node, (services[0] if services else None)
