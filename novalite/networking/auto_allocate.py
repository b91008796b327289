"""Auto-allocated topologies (Neutron's auto-allocated-topology, what Nova's "get me a
network" asks for): on a project's first request, a network `auto_allocated_network`, an
IPv4 subnet on it and a router `auto_allocated_router` from it to the default external
network; later requests answer the same network. Neutron carves the subnet from the
default subnet pool; there are no pools here, so it is the lowest free
/[network_api] auto_allocate_prefixlen of [network_api] auto_allocate_prefix that overlaps
no subnet at all.

It is all made in one transaction, one topology at a time (a lock), in a savepoint: should
another request have made the project's topology first all the same (its key decides), or
taken the same CIDR (a key too), ours is undone and theirs is the answer, or we take the
next CIDR, as the default security group and addresses are made."""

from __future__ import annotations

import logging

import netaddr

from novalite.conf.network_api import AUTO_ALLOCATE_PREFIX, AUTO_ALLOCATE_PREFIXLEN
from novalite.networking import authz, exceptions
from novalite.networking.db import auto_allocate as db_auto
from novalite.networking.db import networks as db_networks
from novalite.networking.db import subnets as db_subnets
from novalite.networking.networks import Networks
from novalite.networking.routers import Routers
from novalite.networking.subnets import Subnets

LOG = logging.getLogger(__name__)
DRY_RUN = "dry-run"  # the `fields=` value that only checks the requirements
NETWORK_NAME = "auto_allocated_network"
ROUTER_NAME = "auto_allocated_router"


class _Lost(Exception):
    """Another request made the project's topology first."""


class AutoAllocatedTopologies:
    def __init__(self, database, networks: Networks, subnets: Subnets, routers: Routers,
                 conf=None):
        """conf: [network_api] auto_allocate_prefix and _prefixlen (their defaults, without
        one)."""
        self.database = database
        self.networks = networks
        self.subnets = subnets
        self.routers = routers
        self.conf = conf

    def _project(self, ctxt, project_id: str, rule: str) -> str:
        """The project asked for ("None" is the caller's, as Neutron reads a client that
        sent none), once the caller may act on it."""
        if project_id == "None":
            project_id = ctxt.project_id
        if not ctxt.is_admin and project_id != ctxt.project_id:
            raise exceptions.NotAuthorized()
        authz.authorize(ctxt, rule, {"project_id": project_id})
        return project_id

    def get(self, ctxt, project_id: str, fields=()) -> dict:
        """The project's topology, made if it has none; fields ["dry-run"]: only check
        that it could be made."""
        project_id = self._project(ctxt, project_id, "get_auto_allocated_topology")
        if DRY_RUN in fields:
            with self.database.reader() as conn:
                self._default_external(conn)
            self._pool()
            return {DRY_RUN: "pass", "id": "dry-run=pass", **_owner(project_id)}
        if fields:
            raise exceptions.BadRequest(resource="auto_allocate", msg="Unrecognized field")
        with self.database.reader() as conn:
            row = db_auto.get(conn, project_id)
        network_id = row.network_id if row else self._build(ctxt, project_id)
        return {"id": network_id, **_owner(project_id)}

    @staticmethod
    def _default_external(conn) -> str:
        network_id = db_networks.default_external(conn)
        if network_id is None:
            LOG.error("No default external network: make one (is_default true on a "
                      "router:external network) for auto-allocation to work")
            raise exceptions.AutoAllocationFailure(reason="No default router:external network")
        return network_id

    def _pool(self) -> tuple[netaddr.IPNetwork, int]:
        """The stand-in for the default subnet pool: (prefix, prefix length)."""
        opts = self.conf.network_api if self.conf is not None else None
        prefix = opts.auto_allocate_prefix if opts else AUTO_ALLOCATE_PREFIX
        prefixlen = opts.auto_allocate_prefixlen if opts else AUTO_ALLOCATE_PREFIXLEN
        try:
            network = netaddr.IPNetwork(prefix)
        except (netaddr.AddrFormatError, ValueError, TypeError):
            network = None
        if network is None or network.version != 4 or not \
                network.prefixlen <= prefixlen <= 30:
            LOG.error("[network_api] auto_allocate_prefix %s with auto_allocate_prefixlen %s "
                      "is no IPv4 prefix to carve subnets from", prefix, prefixlen)
            raise exceptions.AutoAllocationFailure(reason="No default subnetpools defined")
        return network.cidr, prefixlen

    def _build(self, ctxt, project_id: str) -> str:
        """Make the topology -> its network's id (or the one another request made)."""
        prefix, prefixlen = self._pool()
        # The service makes it, as Neutron's plugin does: no policy on each resource.
        admin = ctxt.elevated()
        with self.database.writer() as conn:
            db_auto.lock(self.database, conn)
            found = db_auto.get(conn, project_id)  # made while we waited
            if found:
                return found.network_id
            external_id = self._default_external(conn)
            try:
                with conn.begin_nested():
                    return self._make(admin, conn, project_id, external_id, prefix,
                                      prefixlen)
            except _Lost:
                LOG.debug("Project %s's topology was made by another request", project_id)
                return db_auto.get(conn, project_id).network_id

    def _make(self, admin, conn, project_id, external_id, prefix, prefixlen) -> str:
        try:
            network = self.networks.create(admin, {
                "name": NETWORK_NAME, "project_id": project_id, "shared": False}, conn=conn)
            cidr = self._claim(conn, project_id, network["id"], prefix, prefixlen)
            subnet = self.subnets.create(admin, {
                "network_id": network["id"], "project_id": project_id, "ip_version": 4,
                "cidr": cidr, "name": "auto_allocated_subnet_v4"}, conn=conn)
        except (exceptions.BadRequest, exceptions.NotFound) as e:
            LOG.error("No private network for project %s: %s", project_id, e)
            raise exceptions.AutoAllocationFailure(
                reason="Unable to provide project private network") from e
        try:
            router = self.routers.create(admin, {
                "name": ROUTER_NAME, "project_id": project_id,
                "external_gateway_info": {"network_id": external_id}}, conn=conn)
            self.routers.add_interface(admin, router["id"], {"subnet_id": subnet["id"]},
                                       conn=conn)
        except (exceptions.BadRequest, exceptions.NotFound) as e:
            LOG.error("No external connectivity for project %s: %s", project_id, e)
            raise exceptions.AutoAllocationFailure(
                reason="Unable to provide external connectivity") from e
        db_auto.set_router(conn, project_id, router["id"])
        return network["id"]

    @staticmethod
    def _claim(conn, project_id, network_id, prefix, prefixlen) -> str:
        """The lowest free CIDR, claimed for the project (a concurrent claimer of the same
        one makes us take the next); _Lost when the project's topology got made."""
        lost = []
        while True:
            taken = [netaddr.IPNetwork(c) for c in db_auto.taken_ipv4(conn)] + lost
            cidr = next_free(prefix, prefixlen, taken)
            if cidr is None:
                raise exceptions.BadRequest(resource="auto_allocate", msg=(
                    "no /%d left in %s" % (prefixlen, prefix)))
            if db_auto.claim(conn, project_id, network_id, cidr):
                return cidr
            if db_auto.get(conn, project_id):
                raise _Lost()
            lost.append(netaddr.IPNetwork(cidr))

    def delete(self, ctxt, project_id: str) -> None:
        """Remove the router and the network (nothing when the project has no topology);
        all of it, or nothing when something else still uses them (a 409)."""
        project_id = self._project(ctxt, project_id, "delete_auto_allocated_topology")
        admin = ctxt.elevated()
        with self.database.writer() as conn:
            row = db_auto.get(conn, project_id)
            if row is None:
                return
            db_auto.delete(conn, project_id)
            if row.router_id:
                for subnet in db_subnets.of_network(conn, row.network_id):
                    _ignore_not_found(self.routers.remove_interface, admin, row.router_id,
                                      {"subnet_id": subnet.id}, conn=conn)
                _ignore_not_found(self.routers.delete, admin, row.router_id, conn=conn)
            _ignore_not_found(self.networks.delete, admin, row.network_id, conn=conn)


def next_free(prefix: netaddr.IPNetwork, prefixlen: int, taken: list) -> str | None:
    """The lowest /prefixlen of `prefix` that overlaps none of `taken` (IPNetworks)."""
    free = netaddr.IPSet([prefix])
    for network in taken:
        if network.version == prefix.version and network.first <= prefix.last and \
                prefix.first <= network.last:
            free.remove(network)
    # The free space as maximal aligned blocks, lowest first: the first one big enough
    # starts with the answer.
    for block in free.iter_cidrs():
        if block.prefixlen <= prefixlen:
            return str(netaddr.IPNetwork("%s/%d" % (block.network, prefixlen)))
    return None


def _owner(project_id: str) -> dict:
    return {"project_id": project_id, "tenant_id": project_id}


def _ignore_not_found(func, *args, **kwargs) -> None:
    """As Neutron's cleanup: what is already gone is not an error."""
    try:
        func(*args, **kwargs)
    except exceptions.NotFound:
        pass
