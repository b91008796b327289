"""What a host's DHCP server for a network serves, as Neutron's DHCP RPC answers its DHCP
agent: the network's DHCP subnets, its ports' MAC and fixed addresses, and the server's
own port (device_owner network:dhcp, one per network and host), made here through the
ports domain so its address comes from IPAM like any other and no guest is given it.
The port goes when the host's server does (release), or with its network."""

from __future__ import annotations

from novalite import context as nl_context
from novalite.networking import exceptions
from novalite.networking.db import networks as db_networks
from novalite.networking.db import ports as db_ports
from novalite.networking.db import subnets as db_subnets

OWNER = "network:dhcp"


def device_id(network_id: str, host: str) -> str:
    """The DHCP port's device_id (Neutron's is dhcp<host uuid>-<network id>)."""
    return "dhcp%s-%s" % (host, network_id)


class DhcpPorts:
    def __init__(self, database, ports):
        self.database = database
        self.ports = ports

    def info(self, network_id: str, host: str) -> dict | None:
        """The network as host's DHCP server serves it, its port made if it has none; None
        when the network is gone or has no IPv4 subnet with enable_dhcp."""
        ctxt = nl_context.get_admin_context()
        with self.database.writer() as conn:
            try:
                network = db_networks.get(conn, network_id)
            except exceptions.NetworkNotFound:
                return None
            subnets = [s for s in db_subnets.of_network(conn, network_id)
                       if s.enable_dhcp and s.ip_version == 4]
            if not subnets:
                return None
            mine = self._own(conn, network_id, host)
            if mine is None:
                mine = self.ports.make(ctxt, conn, network, network.project_id, {
                    "device_owner": OWNER, "device_id": device_id(network_id, host),
                    "name": "", "fixed_ips": [{"subnet_id": s.id} for s in subnets]})
            rows = db_ports.list_(conn, None, {"network_id": [network_id]}, [], None, None)
            fixed = db_ports.fixed_ips(conn, [r.id for r in rows])
        dhcp_subnets = {s.id for s in subnets}
        return {
            "network_id": network_id,
            "subnets": [{"id": s.id, "cidr": s.cidr, "gateway_ip": s.gateway_ip,
                         "dns_nameservers": list(s.dns_nameservers or []),
                         "host_routes": list(s.host_routes or [])} for s in subnets],
            "dhcp_port": {"id": mine.id, "mac_address": mine.mac_address,
                          "fixed_ips": [ip for ip in fixed[mine.id]
                                        if ip["subnet_id"] in dhcp_subnets]},
            "ports": [{"id": r.id, "mac_address": r.mac_address,
                       "fixed_ips": [ip for ip in fixed[r.id]
                                     if ip["subnet_id"] in dhcp_subnets]}
                      for r in rows if r.device_owner != OWNER and fixed[r.id]]}

    def release(self, network_id: str, host: str) -> None:
        """host's DHCP server of the network is gone: so is its port."""
        with self.database.writer() as conn:
            mine = self._own(conn, network_id, host)
            if mine is not None:
                db_ports.delete(conn, mine.id)

    @staticmethod
    def _own(conn, network_id: str, host: str):
        rows = db_ports.list_(conn, None, {"network_id": [network_id],
                                           "device_id": [device_id(network_id, host)],
                                           "device_owner": [OWNER]}, [], None, None)
        return rows[0] if rows else None
