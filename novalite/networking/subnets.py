"""Subnets: a CIDR on a network, its gateway and allocation pools (ipam.py checks them),
DNS servers and host routes. A subnet with addresses in use cannot be deleted."""

from __future__ import annotations

import uuid

import netaddr

from novalite.networking import authz, exceptions, ipam, views
from novalite.networking.db import networks as db_networks
from novalite.networking.db import subnets as db_subnets
from novalite.networking.networks import Networks, check_revision
from novalite.objects.base import utcnow

IPV6_MODES = ("slaac", "dhcpv6-stateful", "dhcpv6-stateless")


class Subnets:
    def __init__(self, database, networks: Networks, quotas):
        self.database = database
        self.networks = networks
        self.quotas = quotas

    def create(self, ctxt, body: dict, conn=None) -> dict:
        """conn: a write transaction to join (else one of its own)."""
        with self.database.writer(conn) as conn:
            network = self.networks.get_row(ctxt, conn, body["network_id"])
            project_id = body.get("project_id") or body.get("tenant_id") or ctxt.project_id
            authz.authorize(ctxt, "create_subnet", {"project_id": project_id,
                                                    **authz.network_target(network)})
            self.quotas.check(conn, project_id, "subnet")
            values = self._checked(body, conn, network.id)
            now = utcnow()
            values.update(id=str(uuid.uuid4()), network_id=network.id, project_id=project_id,
                          name=body.get("name", ""), description=body.get("description", ""),
                          created_at=now, updated_at=now, revision_number=1)
            db_subnets.create(conn, values)
            row = db_subnets.get(conn, values["id"])
        return views.subnet(row, network.external)

    def _checked(self, body, conn, network_id) -> dict:
        version = body["ip_version"]
        cidr = body.get("cidr")
        if not cidr:
            raise exceptions.BadRequest(resource="subnets",
                                        msg="a subnet requires a cidr (no subnet pools)")
        network = ipam.parse_cidr(cidr, version)
        cidr = str(network.cidr)
        for other in db_subnets.of_network(conn, network_id):
            if _overlap(network, ipam.parse_cidr(other.cidr, other.ip_version)):
                raise exceptions.InvalidInput(error_message=(
                    "Requested subnet with cidr: %s for network: %s overlaps with another "
                    "subnet" % (cidr, network_id)))
        gateway = body.get("gateway_ip", ipam.default_gateway(network))
        if gateway is not None:
            address = ipam.parse_address(gateway, network, "Gateway")
            if address not in network:
                raise exceptions.InvalidInput(error_message=(
                    "Gateway is not valid on subnet"))
            gateway = str(address)
        if body.get("allocation_pools") is not None:
            pools = ipam.validate_pools(body["allocation_pools"], network, gateway, cidr)
        else:
            pools = ipam.default_pools(network, gateway)
        values = {"ip_version": version, "cidr": cidr, "gateway_ip": gateway,
                  "enable_dhcp": body.get("enable_dhcp", True), "allocation_pools": pools,
                  "dns_nameservers": self._nameservers(body.get("dns_nameservers") or []),
                  "host_routes": self._routes(body.get("host_routes") or [], version)}
        for mode in ("ipv6_ra_mode", "ipv6_address_mode"):
            value = body.get(mode)
            if value is not None and version != 6:
                raise exceptions.InvalidInput(error_message=(
                    "ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is "
                    "set to False or ip_version is 4"))
            values[mode] = value
        if values["ipv6_ra_mode"] and values["ipv6_address_mode"] and \
                values["ipv6_ra_mode"] != values["ipv6_address_mode"]:
            raise exceptions.InvalidInput(error_message=(
                "ipv6_ra_mode set to '%s' with ipv6_address_mode set to '%s' is not valid. "
                "If both attributes are set, they must be the same value"
                % (values["ipv6_ra_mode"], values["ipv6_address_mode"])))
        return values

    @staticmethod
    def _nameservers(servers: list) -> list:
        seen = []
        for server in servers:
            ipam.parse_address(server, _any(server), "DNS nameserver")
            if server in seen:
                raise exceptions.InvalidInput(error_message=(
                    "Duplicate nameserver '%s'" % server))
            seen.append(server)
        return seen

    @staticmethod
    def _routes(routes: list, version: int) -> list:
        out = []
        for route in routes:
            destination = ipam.parse_cidr(route.get("destination"), version,
                                          allocatable=False) if \
                route.get("destination") else None
            nexthop = route.get("nexthop")
            if destination is None or nexthop is None:
                raise exceptions.InvalidInput(error_message=(
                    "Invalid data format for hostroute: '%s'" % route))
            ipam.parse_address(nexthop, destination, "Host route nexthop")
            item = {"destination": str(destination.cidr), "nexthop": nexthop}
            if item in out:
                raise exceptions.InvalidInput(error_message=(
                    "Duplicate hostroute '%s'" % route))
            out.append(item)
        return out

    def _visible(self, ctxt, conn, subnet_id):
        row = db_subnets.get(conn, subnet_id)
        try:
            network = self.networks.get_row(ctxt, conn, row.network_id)
        except exceptions.NetworkNotFound:
            raise exceptions.SubnetNotFound(subnet_id=subnet_id) from None
        if not authz.allowed(ctxt, "get_subnet", {"project_id": row.project_id,
                                                  **authz.network_target(network)}):
            raise exceptions.SubnetNotFound(subnet_id=subnet_id)
        return row, network

    def get(self, ctxt, subnet_id: str) -> dict:
        with self.database.reader() as conn:
            row, network = self._visible(ctxt, conn, subnet_id)
        return views.subnet(row, network.external)

    def list(self, ctxt, filters, sorts, limit, marker) -> list[dict]:
        visible_to = None if ctxt.is_admin else ctxt.project_id
        with self.database.reader() as conn:
            rows = db_subnets.list_(conn, visible_to, filters, sorts, limit, marker)
            external = db_networks.external_ids(conn, {r.network_id for r in rows})
        return [views.subnet(r, r.network_id in external) for r in rows]

    def update(self, ctxt, subnet_id: str, body: dict, if_match=None) -> dict:
        with self.database.writer() as conn:
            row, network = self._visible(ctxt, conn, subnet_id)
            authz.authorize(ctxt, "update_subnet", {"project_id": row.project_id,
                                                    **authz.network_target(network)})
            check_revision(row, if_match)
            net = ipam.parse_cidr(row.cidr, row.ip_version)
            values = {k: body[k] for k in ("name", "description", "enable_dhcp") if k in body}
            gateway = row.gateway_ip
            if "gateway_ip" in body:
                gateway = body["gateway_ip"]
                if gateway is not None:
                    gateway = str(ipam.parse_address(gateway, net, "Gateway"))
                values["gateway_ip"] = gateway
            if "allocation_pools" in body:
                values["allocation_pools"] = ipam.validate_pools(
                    body["allocation_pools"], net, gateway, row.cidr)
            elif "gateway_ip" in body and gateway and ipam.in_pools(gateway,
                                                                    row.allocation_pools):
                raise ipam.GatewayConflictWithAllocationPools(ip_address=gateway,
                                                              pool=row.allocation_pools)
            if "dns_nameservers" in body:
                values["dns_nameservers"] = self._nameservers(body["dns_nameservers"] or [])
            if "host_routes" in body:
                values["host_routes"] = self._routes(body["host_routes"] or [],
                                                     row.ip_version)
            db_subnets.update(conn, subnet_id, {**values, "updated_at": utcnow()})
            row = db_subnets.get(conn, subnet_id)
        return views.subnet(row, network.external)

    def delete(self, ctxt, subnet_id: str) -> None:
        with self.database.writer() as conn:
            row, network = self._visible(ctxt, conn, subnet_id)
            authz.authorize(ctxt, "delete_subnet", {"project_id": row.project_id,
                                                    **authz.network_target(network)})
            # SLAAC addresses were never handed out, only derived: they go with the subnet.
            auto_address = row.ipv6_address_mode in ipam.SLAAC_MODES
            if not auto_address and db_subnets.in_use(conn, subnet_id):
                raise exceptions.SubnetInUse(subnet_id=subnet_id)
            db_subnets.delete(conn, subnet_id, every_allocation=auto_address)


def _overlap(a, b) -> bool:
    return a.version == b.version and a.first <= b.last and b.first <= a.last


def _any(address) -> netaddr.IPNetwork:
    """A network of the address's own version, for parse_address's version check."""
    return netaddr.IPNetwork("::/0" if ":" in str(address) else "0.0.0.0/0")
