"""Routers: a gateway on an external network (a port there, with an address of its
subnet) and interfaces on subnets (a port holding the subnet's gateway address, or a port
given). A router with interfaces cannot be deleted; an interface a floating IP goes
through cannot be removed."""

from __future__ import annotations

import uuid

import netaddr

from novalite.networking import authz, exceptions, views
from novalite.networking.db import networks as db_networks
from novalite.networking.db import ports as db_ports
from novalite.networking.db import routers as db_routers
from novalite.networking.db import subnets as db_subnets
from novalite.networking.networks import Networks, check_revision
from novalite.networking.ports import Ports
from novalite.objects.base import utcnow


class Routers:
    def __init__(self, database, networks: Networks, ports: Ports, quotas):
        self.database = database
        self.networks = networks
        self.ports = ports
        self.quotas = quotas

    def _view(self, ctxt, conn, row) -> dict:
        gateway = None
        if row.gw_port_id:
            port = db_ports.get(conn, row.gw_port_id)
            fixed = db_ports.fixed_ips(conn, [port.id])[port.id]
            gateway = {"network_id": port.network_id, "enable_snat": row.enable_snat,
                       "external_fixed_ips": fixed}
        return views.router(row, gateway)

    def create(self, ctxt, body: dict, conn=None) -> dict:
        """conn (here and below): a write transaction to join (else one of its own)."""
        project_id = body.get("project_id") or body.get("tenant_id") or ctxt.project_id
        authz.authorize(ctxt, "create_router", {"project_id": project_id})
        now = utcnow()
        router_id = str(uuid.uuid4())
        with self.database.writer(conn) as conn:
            self.quotas.check(conn, project_id, "router")
            db_routers.create(conn, {
                "id": router_id, "project_id": project_id, "name": body.get("name", ""),
                "description": body.get("description", ""), "status": "ACTIVE",
                "admin_state_up": body.get("admin_state_up", True), "enable_snat": True,
                "created_at": now, "updated_at": now, "revision_number": 1})
            if body.get("external_gateway_info"):
                self._set_gateway(ctxt, conn, db_routers.get(conn, router_id),
                                  body["external_gateway_info"])
            return self._view(ctxt, conn, db_routers.get(conn, router_id))

    def _set_gateway(self, ctxt, conn, router, info) -> None:
        """A gateway on the external network asked for (none: the gateway removed)."""
        if router.gw_port_id:
            old = db_ports.get(conn, router.gw_port_id)
            if info and info.get("network_id") == old.network_id:
                if "enable_snat" in info:
                    self._check_snat(ctxt, router, info)
                    db_routers.update(conn, router.id, {"enable_snat": info["enable_snat"]})
                return
            if db_routers.fips_through_router(conn, router.id, old.network_id):
                raise exceptions.RouterExternalGatewayInUseByFloatingIp(
                    router_id=router.id, net_id=old.network_id)
            db_routers.update(conn, router.id, {"gw_port_id": None})
            db_ports.delete(conn, old.id)
        if not info:
            return
        network_id = info.get("network_id")
        if not network_id:
            raise exceptions.BadRequest(resource="router", msg="network_id is required "
                                        "in external_gateway_info")
        network = db_networks.get(conn, network_id)
        if not network.external:
            raise exceptions.BadRequest(resource="router", msg=(
                "Network %s is not an external network" % network_id))
        if info.get("external_fixed_ips"):
            authz.authorize(ctxt, "create_router:external_gateway_info:external_fixed_ips",
                            {"project_id": router.project_id})
        self._check_snat(ctxt, router, info)
        port = self.ports.make(ctxt, conn, network, "", {
            "device_id": router.id, "device_owner": db_routers.GATEWAY,
            "fixed_ips": info.get("external_fixed_ips") or None})
        db_routers.update(conn, router.id, {"gw_port_id": port.id,
                                            "enable_snat": info.get("enable_snat", True)})

    @staticmethod
    def _check_snat(ctxt, router, info) -> None:
        if "enable_snat" in info and info["enable_snat"] is not True:
            authz.authorize(ctxt, "create_router:external_gateway_info:enable_snat",
                            {"project_id": router.project_id})

    def _visible(self, ctxt, conn, router_id):
        row = db_routers.get(conn, router_id)
        if not authz.allowed(ctxt, "get_router", {"project_id": row.project_id}):
            raise exceptions.RouterNotFound(router_id=router_id)
        return row

    def get(self, ctxt, router_id: str) -> dict:
        with self.database.reader() as conn:
            return self._view(ctxt, conn, self._visible(ctxt, conn, router_id))

    def list(self, ctxt, filters, sorts, limit, marker) -> list[dict]:
        visible_to = None if ctxt.is_admin else ctxt.project_id
        with self.database.reader() as conn:
            rows = db_routers.list_(conn, visible_to, filters, sorts, limit, marker)
            return [self._view(ctxt, conn, r) for r in rows]

    def update(self, ctxt, router_id: str, body: dict, if_match=None) -> dict:
        with self.database.writer() as conn:
            row = self._visible(ctxt, conn, router_id)
            authz.authorize(ctxt, "update_router", {"project_id": row.project_id})
            check_revision(row, if_match)
            values = {k: body[k] for k in ("name", "description", "admin_state_up")
                      if k in body}
            db_routers.update(conn, router_id, {**values, "updated_at": utcnow()})
            if "external_gateway_info" in body:
                self._set_gateway(ctxt, conn, db_routers.get(conn, router_id),
                                  body["external_gateway_info"])
            return self._view(ctxt, conn, db_routers.get(conn, router_id))

    def delete(self, ctxt, router_id: str, conn=None) -> None:
        with self.database.writer(conn) as conn:
            row = self._visible(ctxt, conn, router_id)
            authz.authorize(ctxt, "delete_router", {"project_id": row.project_id})
            if db_routers.interfaces(conn, router_id):
                raise exceptions.RouterInUse(router_id=router_id)
            self._set_gateway(ctxt, conn, row, None)
            db_routers.delete(conn, router_id)

    # -- interfaces ---------------------------------------------------------------------------

    def add_interface(self, ctxt, router_id: str, body: dict, conn=None) -> dict:
        subnet_id, port_id = _interface_body(body)
        with self.database.writer(conn) as conn:
            router = self._visible(ctxt, conn, router_id)
            authz.authorize(ctxt, "add_router_interface", {"project_id": router.project_id})
            attached = {s for _, ips in db_routers.interfaces(conn, router_id)
                        for s, _ in ips}
            if port_id:
                port = db_ports.get(conn, port_id)
                if port.project_id != router.project_id and not ctxt.is_admin:
                    raise exceptions.PortNotFound(port_id=port_id)
                if port.device_id:
                    raise exceptions.PortInUse(net_id=port.network_id, port_id=port_id,
                                               device_id=port.device_id)
                fixed = db_ports.fixed_ips(conn, [port_id])[port_id]
                if not fixed:
                    raise exceptions.BadRequest(resource="router", msg=(
                        "Router port must have at least one fixed IP"))
                for item in fixed:
                    self._check_subnet(conn, router_id, db_subnets.get(conn, item["subnet_id"]),
                                       attached)
                db_ports.update(conn, port_id, {"device_id": router_id,
                                                "device_owner": db_routers.INTERFACE,
                                                "status": "ACTIVE", "updated_at": utcnow()})
            else:
                subnet = db_subnets.get(conn, subnet_id)
                network = self.networks.get_row(ctxt, conn, subnet.network_id)
                if network.project_id != router.project_id and not ctxt.is_admin and \
                        not network.shared:
                    raise exceptions.SubnetNotFound(subnet_id=subnet_id)
                if not subnet.gateway_ip:
                    raise exceptions.BadRequest(resource="router", msg=(
                        "Subnet for router interface must have a gateway IP"))
                self._check_subnet(conn, router_id, subnet, attached)
                port = self.ports.make(ctxt, conn, network, router.project_id, {
                    "device_id": router_id, "device_owner": db_routers.INTERFACE,
                    "fixed_ips": [{"subnet_id": subnet.id, "ip_address": subnet.gateway_ip}]})
                fixed = db_ports.fixed_ips(conn, [port.id])[port.id]
                port_id = port.id
            db_routers.update(conn, router_id, {"updated_at": utcnow()})
            port = db_ports.get(conn, port_id)
        return _interface_info(router, port, fixed)

    @staticmethod
    def _check_subnet(conn, router_id, subnet, attached) -> None:
        if subnet.id in attached:
            raise exceptions.BadRequest(resource="router", msg=(
                "Router already has a port on subnet %s" % subnet.id))
        cidr = netaddr.IPNetwork(subnet.cidr)
        for other_id in attached:
            other = netaddr.IPNetwork(db_subnets.get(conn, other_id).cidr)
            if cidr.version == other.version and (cidr in other or other in cidr):
                raise exceptions.BadRequest(resource="router", msg=(
                    "Cidr %s of subnet %s overlaps with cidr %s of subnet %s"
                    % (cidr, subnet.id, other, other_id)))

    def remove_interface(self, ctxt, router_id: str, body: dict, conn=None) -> dict:
        subnet_id, port_id = _interface_body(body)
        with self.database.writer(conn) as conn:
            router = self._visible(ctxt, conn, router_id)
            authz.authorize(ctxt, "remove_router_interface",
                            {"project_id": router.project_id})
            found = None
            for port, ips in db_routers.interfaces(conn, router_id):
                if port.id == port_id or any(s == subnet_id for s, _ in ips):
                    found = port, ips
                    break
            if found is None:
                if port_id:
                    raise exceptions.RouterInterfaceNotFound(router_id=router_id,
                                                             port_id=port_id)
                raise exceptions.RouterInterfaceNotFoundForSubnet(router_id=router_id,
                                                                  subnet_id=subnet_id)
            port, ips = found
            for subnet, _ in ips:
                if self._fips_behind(conn, router_id, subnet):
                    raise exceptions.RouterInterfaceInUseByFloatingIP(router_id=router_id,
                                                                      subnet_id=subnet)
            fixed = db_ports.fixed_ips(conn, [port.id])[port.id]
            db_ports.delete(conn, port.id)
            db_routers.update(conn, router_id, {"updated_at": utcnow()})
        return _interface_info(router, port, fixed)

    @staticmethod
    def _fips_behind(conn, router_id, subnet_id) -> bool:
        for fip in db_routers.fips_through_router(conn, router_id):
            fixed = db_ports.fixed_ips(conn, [fip.fixed_port_id])[fip.fixed_port_id]
            if any(f["subnet_id"] == subnet_id for f in fixed):
                return True
        return False


def _interface_body(body) -> tuple[str | None, str | None]:
    if not isinstance(body, dict) or bool(body.get("subnet_id")) == bool(body.get("port_id")):
        raise exceptions.BadRequest(resource="router", msg=(
            "Either subnet_id or port_id must be specified"))
    return body.get("subnet_id"), body.get("port_id")


def _interface_info(router, port, fixed) -> dict:
    subnets = [f["subnet_id"] for f in fixed]
    return {"id": router.id, "tenant_id": router.project_id, "project_id": router.project_id,
            "port_id": port.id, "network_id": port.network_id,
            "subnet_id": subnets[0] if subnets else None, "subnet_ids": subnets}
