"""Allocate and release an instance's fixed IP on the built-in default network.

network_info (stored on the instance) is a list of VIFs:
  [{"network": "<name>", "network_id": "<uuid>", "mac": "fa:16:3e:..",
    "ips": [{"address": "10.0.0.2", "version": 4, "type": "fixed"}]}]
"""

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

    def deallocate_for_instance(self, instance) -> None:
        db_fixed_ips.release(self.database, instance.uuid)
