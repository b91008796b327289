"""Allocate and release an instance's fixed IP on the built-in default network.

network_info (stored on the instance) is a list of VIFs:
  [{"network": "<name>", "network_id": "<uuid>", "mac": "fa:16:3e:..",
    "ips": [{"address": "10.0.0.2", "version": 4, "type": "fixed"}]}]
"""

import ipaddress
import uuid

from novalite import exception
from novalite.db import fixed_ips as db_fixed_ips

_NAMESPACE = uuid.UUID("6ba7b812-9dad-11d1-80b4-00c04fd430c8")


class NetworkAPI:
    joins_transaction = True  # its rows are the cloud's: a build writes them with its own

    def __init__(self, conf, database):
        self.conf = conf
        self.database = database
        self.name = conf.network.name
        self.id = str(uuid.uuid5(_NAMESPACE, "novalite-network:" + self.name))

    def networks(self) -> list[dict]:
        return [{"id": self.id, "label": self.name, "cidr": self.conf.network.cidr}]

    def validate_requested(self, ctxt, requested, max_count: int = 1):
        """Reject what this network cannot give: ports, other networks, fixed addresses.
        -> requested, unchanged."""
        if requested in (None, "auto", "none"):
            return requested
        for item in requested:
            if item.get("port"):
                raise exception.Invalid("Requesting a port is not supported: there is no "
                                        "network service; use networks 'auto' or 'none'.")
            if item.get("fixed_ip"):
                raise exception.Invalid("Requesting a fixed_ip is not supported.")
            if item.get("uuid") and item["uuid"] != self.id:
                raise exception.Invalid("Network %s could not be found." % item["uuid"])
        return requested

    @staticmethod
    def validate_security_groups(ctxt, names) -> None:
        if any(name != "default" for name in names):
            raise exception.Invalid("Only the 'default' security group exists: the built-in "
                                    "network has no others.")

    def allocate_for_instance(self, instance, requested, host=None, owner=None,
                              security_groups=None, before_bind=None, conn=None) -> list[dict]:
        """conn: a write transaction to join (the compute manager saves the result in the
        same one). No ports, so nothing to bind and no events to wait for."""
        if requested == "none":
            return []
        address, mac = db_fixed_ips.allocate(self.database, self.name, self.conf.network.cidr,
                                             instance.uuid, conn=conn)
        return [{"network": self.name, "network_id": self.id, "mac": mac,
                 "ips": [{"address": address, "version": 4, "type": "fixed"}]}]

    def add_subnet_details(self, network_info: list[dict]) -> list[dict]:
        network = ipaddress.ip_network(self.conf.network.cidr)
        subnet = {"id": self.id, "cidr": str(network), "ip_version": 4,
                  "gateway_ip": str(network.network_address + 1), "dns_nameservers": [],
                  "host_routes": [], "enable_dhcp": False, "ipv6_address_mode": None}
        return [{**vif, "ips": [{**ip, "subnet_id": self.id} for ip in vif["ips"]],
                 "subnets": [subnet]} for vif in network_info]

    @staticmethod
    def setup_instance_network_on_host(instance, host: str) -> list[dict]:
        return instance.network_info  # an address in the cloud's table is on every host

    def deallocate_for_instance(self, instance) -> None:
        db_fixed_ips.release(self.database, instance.uuid)

    # -- server actions (security groups, floating IPs): Nova's answers for a cloud with
    # one address per server, the implicit "default" group and no floating IPs ------------

    DEFAULT_GROUP = "default"

    def add_security_group(self, ctxt, instance, name: str) -> None:
        if name == self.DEFAULT_GROUP:
            raise exception.Invalid("Security group %s is already associated with the "
                                    "instance %s" % (name, instance.uuid))
        raise exception.NotFound("Security group %s not found for project %s." % (
            name, instance.project_id))

    def remove_security_group(self, ctxt, instance, name: str) -> None:
        if name == self.DEFAULT_GROUP:
            raise exception.Conflict("Security group default cannot be removed from "
                                     "instance %s: the built-in network has no security "
                                     "groups to change." % instance.uuid)
        raise exception.NotFound("Security group %s not found for project %s." % (
            name, instance.project_id))

    def instance_security_groups(self, ctxt, instance) -> list[dict]:
        return [{"id": str(uuid.uuid5(_NAMESPACE, "novalite-default-group:" +
                                      instance.project_id)),
                 "name": self.DEFAULT_GROUP, "description": "default",
                 "tenant_id": instance.project_id, "rules": []}]

    @classmethod
    def server_security_groups(cls, instance) -> list[dict]:
        return [{"name": cls.DEFAULT_GROUP}]

    def add_fixed_ip(self, ctxt, instance, network_id: str) -> None:
        if network_id != self.id:
            raise exception.Invalid("Network %s could not be found." % network_id)
        raise exception.Invalid("No fixed IP addresses available for network: %s"
                                % network_id)  # one address per server on it

    @staticmethod
    def remove_fixed_ip(ctxt, instance, address: str) -> None:
        raise exception.Invalid("Fixed IP %s is the only address of instance %s on the "
                                "built-in network and cannot be removed." % (
                                    address, instance.uuid))

    @staticmethod
    def associate_floating_ip(ctxt, instance, address: str, fixed_address: str) -> None:
        raise exception.NotFound("floating IP not found")  # none exist without the service

    @staticmethod
    def disassociate_floating_ip(ctxt, instance, address: str) -> None:
        raise exception.NotFound("floating IP not found")
