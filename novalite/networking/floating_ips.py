"""Floating IPs: an address of an external network (held by a port there), associated with
a fixed address of a port whose subnet a router connects to that network, as Neutron
checks. ACTIVE while associated, DOWN otherwise."""

from __future__ import annotations

import uuid

from novalite.networking import authz, exceptions, views
from novalite.networking.db import networks as db_networks
from novalite.networking.db import ports as db_ports
from novalite.networking.db import routers as db_routers
from novalite.networking.networks import check_revision
from novalite.networking.ports import Ports
from novalite.objects.base import utcnow


class FloatingIPs:
    def __init__(self, database, ports: Ports, quotas):
        self.database = database
        self.ports = ports
        self.quotas = quotas

    def _view(self, conn, row) -> dict:
        details = None
        if row.fixed_port_id:
            port = db_ports.get(conn, row.fixed_port_id)
            details = {"name": port.name, "network_id": port.network_id,
                       "mac_address": port.mac_address, "admin_state_up": port.admin_state_up,
                       "status": port.status, "device_id": port.device_id,
                       "device_owner": port.device_owner}
        return views.floating_ip(row, details)

    def create(self, ctxt, body: dict) -> dict:
        project_id = body.get("project_id") or body.get("tenant_id") or ctxt.project_id
        target = {"project_id": project_id}
        authz.authorize(ctxt, "create_floatingip", target)
        if body.get("floating_ip_address"):
            authz.authorize(ctxt, "create_floatingip:floating_ip_address", target)
        with self.database.writer() as conn:
            self.quotas.check(conn, project_id, "floatingip")
            network = db_networks.get(conn, body["floating_network_id"])
            if not network.external:
                raise exceptions.BadRequest(resource="floatingip", msg=(
                    "Network %s is not a valid external network" % network.id))
            fip_id = str(uuid.uuid4())
            fixed = None
            if body.get("floating_ip_address") or body.get("subnet_id"):
                fixed = [{k: v for k, v in (("subnet_id", body.get("subnet_id")),
                                            ("ip_address", body.get("floating_ip_address")))
                          if v}]
            port = self.ports.make(ctxt, conn, network, "", {
                "device_id": fip_id, "device_owner": db_routers.FLOATING, "fixed_ips": fixed})
            address = db_ports.fixed_ips(conn, [port.id])[port.id][0]["ip_address"]
            now = utcnow()
            db_routers.create_fip(conn, {
                "id": fip_id, "project_id": project_id, "floating_network_id": network.id,
                "floating_ip_address": address, "floating_port_id": port.id,
                "status": "DOWN", "description": body.get("description", ""),
                "created_at": now, "updated_at": now, "revision_number": 1})
            touched = []
            if body.get("port_id"):
                touched = self._associate(ctxt, conn, db_routers.get_fip(conn, fip_id),
                                          body["port_id"], body.get("fixed_ip_address"))
            view = self._view(conn, db_routers.get_fip(conn, fip_id))
        self._tell_nova(touched)
        return view

    def _tell_nova(self, ports) -> None:
        """A server's addresses include its floating IPs: Nova refreshes them."""
        for port in ports:
            self.ports.nova.changed({"id": port.id, "device_id": port.device_id,
                                     "device_owner": port.device_owner})

    def _associate(self, ctxt, conn, fip, port_id, fixed_ip) -> list:
        """-> the port rows whose floating IPs changed (the old one and the new one)."""
        touched = [db_ports.get(conn, fip.fixed_port_id)] if fip.fixed_port_id else []
        if port_id is None:
            values = {"fixed_port_id": None, "fixed_ip_address": None, "router_id": None,
                      "status": "DOWN"}
        else:
            port = db_ports.get(conn, port_id)
            if port.project_id != fip.project_id and not ctxt.is_admin:
                raise exceptions.PortNotFound(port_id=port_id)
            fixed = db_ports.fixed_ips(conn, [port_id])[port_id]
            v4 = [f for f in fixed if ":" not in f["ip_address"]]
            if fixed_ip is not None:
                chosen = [f for f in fixed if f["ip_address"] == fixed_ip]
                if not chosen:
                    raise exceptions.BadRequest(resource="floatingip", msg=(
                        "Port %s does not have fixed ip %s" % (port_id, fixed_ip)))
            elif not v4:
                raise exceptions.BadRequest(resource="floatingip", msg=(
                    "Port %s does not have any IPv4 address" % port_id))
            else:
                chosen = v4[:1]
            address = chosen[0]
            router_id = self._router_between(conn, fip.floating_network_id, address, port_id)
            values = {"fixed_port_id": port_id, "fixed_ip_address": address["ip_address"],
                      "router_id": router_id, "status": "ACTIVE"}
            touched = [p for p in touched if p.id != port_id] + [port]
        if not db_routers.update_fip(conn, fip.id, {**values, "updated_at": utcnow()}):
            raise exceptions.FloatingIPPortAlreadyAssociated(
                floating_ip_address=fip.floating_ip_address, fip_id=fip.id, port_id=port_id,
                fixed_ip=values["fixed_ip_address"], net_id=fip.floating_network_id)
        return touched

    @staticmethod
    def _router_between(conn, external_network_id, address, port_id) -> str:
        """A router with its gateway on the external network and an interface on the fixed
        address's subnet."""
        for router_id in db_routers.routers_on_subnet(conn, address["subnet_id"]):
            router = db_routers.get(conn, router_id)
            if router.gw_port_id and db_ports.get(conn, router.gw_port_id).network_id == \
                    external_network_id:
                return router.id
        raise exceptions.ExternalGatewayForFloatingIPNotFound(
            external_network_id=external_network_id, subnet_id=address["subnet_id"],
            port_id=port_id)

    def _visible(self, ctxt, conn, fip_id):
        row = db_routers.get_fip(conn, fip_id)
        if not authz.allowed(ctxt, "get_floatingip", {"project_id": row.project_id}):
            raise exceptions.FloatingIPNotFound(floatingip_id=fip_id)
        return row

    def get(self, ctxt, fip_id: str) -> dict:
        with self.database.reader() as conn:
            return self._view(conn, self._visible(ctxt, conn, fip_id))

    def list(self, ctxt, filters, sorts, limit, marker) -> list[dict]:
        visible_to = None if ctxt.is_admin else ctxt.project_id
        with self.database.reader() as conn:
            rows = db_routers.list_fips(conn, visible_to, filters, sorts, limit, marker)
            return [self._view(conn, r) for r in rows]

    def update(self, ctxt, fip_id: str, body: dict, if_match=None) -> dict:
        with self.database.writer() as conn:
            row = self._visible(ctxt, conn, fip_id)
            authz.authorize(ctxt, "update_floatingip", {"project_id": row.project_id})
            check_revision(row, if_match)
            touched = []
            if "port_id" in body:
                touched = self._associate(ctxt, conn, row, body["port_id"],
                                          body.get("fixed_ip_address"))
            if "description" in body:
                db_routers.update_fip(conn, fip_id, {"description": body["description"],
                                                     "updated_at": utcnow()})
            view = self._view(conn, db_routers.get_fip(conn, fip_id))
        self._tell_nova(touched)
        return view

    def delete(self, ctxt, fip_id: str) -> None:
        with self.database.writer() as conn:
            row = self._visible(ctxt, conn, fip_id)
            authz.authorize(ctxt, "delete_floatingip", {"project_id": row.project_id})
            touched = [db_ports.get(conn, row.fixed_port_id)] if row.fixed_port_id else []
            db_routers.delete_fip(conn, fip_id)
            db_ports.delete(conn, row.floating_port_id)
        self._tell_nova(touched)

    def on_network_delete(self, conn, network):
        """An external network goes with its floating IPs, as with Neutron's L3 plugin."""
        if not network.external:
            return None
        touched = []
        for row in db_routers.list_fips(conn, None, {"floating_network_id": [network.id]},
                                        [], None, None):
            if row.fixed_port_id:
                touched.append(db_ports.get(conn, row.fixed_port_id))
            db_routers.delete_fip(conn, row.id)
            db_ports.delete(conn, row.floating_port_id)
        return (lambda: self._tell_nova(touched)) if touched else None
