"""Ports: a MAC address on a network (unique there) and fixed IPs from its subnets, chosen
by the caller (a subnet, an address, or both) or given one per IPv4 subnet and one per
IPv6 subnet (a SLAAC subnet's from the MAC), as Neutron's IPAM does. A port is DOWN until
a host binds and plugs it: binding casts port_update to the host's agent, whose report
(set_device_status) makes it ACTIVE, and Nova hears of it through the notifier."""

from __future__ import annotations

import uuid

from novalite.networking import authz, exceptions, ipam, views
from novalite.networking.db import networks as db_networks
from novalite.networking.db import ports as db_ports
from novalite.networking.db import routers as db_routers
from novalite.networking.db import security_groups as db_groups
from novalite.networking.db import subnets as db_subnets
from novalite.networking.networks import Networks, check_revision
from novalite.networking.nova_notifier import NoNotifier
from novalite.networking.security_groups import SecurityGroups
from novalite.objects.base import utcnow

VNIC_TYPES = ("normal", "direct", "macvtap", "baremetal", "direct-physical", "virtio-forwarder",
              "smart-nic", "remote-managed", "vdpa", "accelerator-direct",
              "accelerator-direct-physical")
_BINDING_KEYS = ("binding:host_id", "binding:profile")
_MAC_ATTEMPTS = 16
_L3_OWNERS = (db_routers.INTERFACE, db_routers.GATEWAY, db_routers.FLOATING)
# Routers are the service's own (no L3 agent plugs them), so their ports are up as made,
# where Neutron's L3 agent would set them ACTIVE moments later.
ROUTER_OWNERS = (db_routers.INTERFACE, db_routers.GATEWAY)
# What a port's filters (and its DHCP entry) on its host are made of, besides its groups.
_FILTERED_KEYS = ("fixed_ips", "mac_address", "allowed_address_pairs",
                  "port_security_enabled")


class Ports:
    def __init__(self, database, networks: Networks, security_groups: SecurityGroups,
                 quotas, agents=None, nova=None, bindings=None):
        """agents: the AgentNotifier (None: no agents to tell); nova: the NovaNotifier;
        bindings: the agents' registry, which says whether a host can take a port (None:
        every host can, with no agent to ask)."""
        self.database = database
        self.networks = networks
        self.security_groups = security_groups
        self.quotas = quotas
        self.agents = agents
        self.nova = nova or NoNotifier()
        self.bindings = bindings

    def _vif_type(self, conn, host: str) -> str:
        if not host:
            return "unbound"
        return "ovs" if self.bindings is None else self.bindings.vif_type(conn, host)

    def _bound(self, ctxt, view: dict) -> None:
        if self.agents is not None and view.get("binding:host_id") and \
                view.get("binding:vif_type") != "binding_failed":
            self.agents.port_update(ctxt, view)

    def _view(self, ctxt, conn, row) -> dict:
        fixed = db_ports.fixed_ips(conn, [row.id])[row.id]
        groups = db_groups.of_ports(conn, [row.id])[row.id]
        return views.port(row, fixed, authz.allowed(ctxt, "get_port:binding",
                                                    {"project_id": row.project_id}), groups)

    def create(self, ctxt, body: dict) -> dict:
        with self.database.writer() as conn:
            network = self.networks.get_row(ctxt, conn, body["network_id"])
            project_id = body.get("project_id") or body.get("tenant_id") or ctxt.project_id
            target = {"project_id": project_id, **authz.network_target(network)}
            authz.authorize(ctxt, "create_port", target)
            if project_id != ctxt.project_id:
                authz.authorize(ctxt, "create_port:binding", target)  # admins only
            if (body.get("device_owner") or "").startswith("network:"):
                authz.authorize(ctxt, "create_port:device_owner", target)
            if any(k in body for k in _BINDING_KEYS):
                authz.authorize(ctxt, "create_port:binding", target)
            row = self.make(ctxt, conn, network, project_id, body, target)
            view = self._view(ctxt, conn, row)
        self._bound(ctxt, _full(row, view))
        self.security_groups.members_changed(ctxt, view["security_groups"])
        return view

    def make(self, ctxt, conn, network, project_id, body: dict, target=None):
        """Make a port in the caller's transaction -> its row. target None: a port of the
        service's own (a router's interface or gateway, a floating IP's), made without
        policy checks."""
        self.quotas.check(conn, project_id, "port")
        port_id = str(uuid.uuid4())
        mac = self._mac(ctxt, conn, network.id, body.get("mac_address"), target)
        now = utcnow()
        host = body.get("binding:host_id") or ""
        db_ports.create(conn, {
            "id": port_id, "network_id": network.id, "project_id": project_id,
            "name": body.get("name", ""), "description": body.get("description", ""),
            "mac_address": mac, "admin_state_up": body.get("admin_state_up", True),
            "status": "ACTIVE" if body.get("device_owner") in ROUTER_OWNERS else "DOWN",
            "device_id": body.get("device_id", ""),
            "device_owner": body.get("device_owner", ""),
            "port_security_enabled": body.get("port_security_enabled",
                                              network.port_security_enabled),
            "binding_host_id": host,
            "binding_vnic_type": body.get("binding:vnic_type", "normal"),
            "binding_vif_type": self._vif_type(conn, host),
            "binding_profile": body.get("binding:profile") or {},
            "allowed_address_pairs": self._pairs(body.get("allowed_address_pairs")),
            "created_at": now, "updated_at": now, "revision_number": 1})
        self._allocate(ctxt, conn, port_id, network, mac, body.get("fixed_ips"), target)
        row = db_ports.get(conn, port_id)
        db_groups.bind_ports(conn, port_id, self._groups(
            ctxt, conn, row, body.get("security_groups")))
        return row

    def _groups(self, ctxt, conn, row, asked) -> list[str]:
        """A port with port security gets the groups asked for, else its project's default;
        a network device's port (a router's, a DHCP server's) and one without port
        security get none, as in Neutron."""
        if not row.port_security_enabled:
            if asked:
                raise exceptions.PortSecurityAndIPRequiredForSecurityGroups()
            return []
        if row.device_owner.startswith("network:") and asked is None:
            return []
        return self.security_groups.for_port(ctxt, conn, row.project_id, asked)

    def _mac(self, ctxt, conn, network_id, asked, target) -> str:
        if asked is not None:
            if target is not None:
                authz.authorize(ctxt, "create_port:mac_address", target)
            if not ipam.valid_mac(asked):
                raise exceptions.InvalidInput(error_message=(
                    "'%s' is not a valid MAC address" % asked))
            mac = asked.lower()
            if db_ports.mac_in_use(conn, network_id, mac):
                raise exceptions.MacAddressInUse(net_id=network_id, mac=mac)
            return mac
        for _ in range(_MAC_ATTEMPTS):
            mac = ipam.random_mac()
            if not db_ports.mac_in_use(conn, network_id, mac):
                return mac
        raise exceptions.MacAddressGenerationFailure(net_id=network_id)

    @staticmethod
    def _pairs(pairs) -> list:
        out = []
        for pair in pairs or ():
            address = pair.get("ip_address")
            if not address:
                raise exceptions.InvalidInput(error_message=(
                    "Allowed address pair must contain ip_address"))
            item = {"ip_address": address}
            if pair.get("mac_address"):
                item["mac_address"] = pair["mac_address"]
            out.append(item)
        return out

    def _allocate(self, ctxt, conn, port_id, network, mac, asked, target) -> None:
        subnets = {s.id: s for s in db_subnets.of_network(conn, network.id)}
        if asked is None:
            # One address from each IPv4 subnet's pools, and one per IPv6 subnet.
            chosen = []
            for version in (4, 6):
                of_version = [s for s in subnets.values() if s.ip_version == version]
                chosen += [{"subnet_id": s.id} for s in of_version[:1]] if version == 4 \
                    else [{"subnet_id": s.id} for s in of_version]
        else:
            chosen = [self._asked(item, subnets, network) for item in asked]
        for item in chosen:
            subnet = subnets[item["subnet_id"]]
            if "ip_address" in item:
                if target is not None:
                    authz.authorize(ctxt, "create_port:fixed_ips:ip_address", target)
                if not db_ports.allocate(conn, port_id, network.id, subnet.id,
                                         item["ip_address"]):
                    raise exceptions.IpAddressAlreadyAllocated(ip=item["ip_address"],
                                                               subnet_id=subnet.id)
            elif subnet.ip_version == 6 and subnet.ipv6_address_mode in ipam.SLAAC_MODES:
                db_ports.allocate(conn, port_id, network.id, subnet.id,
                                  ipam.slaac_address(subnet.cidr, mac))
            else:
                self._next_free(conn, port_id, network.id, subnet)

    @staticmethod
    def _asked(item, subnets, network) -> dict:
        subnet_id, address = item.get("subnet_id"), item.get("ip_address")
        if address is not None:
            matching = [s for s in subnets.values() if _contains(s, address)]
            if subnet_id is None:
                if not matching:
                    raise exceptions.InvalidInput(error_message=(
                        "IP address %s is not a valid IP for any of the subnets on the "
                        "specified network" % address))
                subnet_id = matching[0].id
            elif subnet_id in subnets and not _contains(subnets[subnet_id], address):
                raise exceptions.InvalidInput(error_message=(
                    "IP address %s is not a valid IP for the specified subnet" % address))
        if subnet_id is None:
            raise exceptions.InvalidInput(error_message=(
                "Exceeded maximum amount of fixed ips per port or no subnet given"))
        if subnet_id not in subnets:
            raise exceptions.InvalidInput(error_message=(
                "Failed to create port on network %s, because fixed_ips included invalid "
                "subnet %s" % (network.id, subnet_id)))
        out = {"subnet_id": subnet_id}
        if address is not None:
            out["ip_address"] = str(ipam.parse_address(
                address, ipam.parse_cidr(subnets[subnet_id].cidr,
                                         subnets[subnet_id].ip_version), "IP address"))
        return out

    @staticmethod
    def _next_free(conn, port_id, network_id, subnet) -> None:
        taken = db_subnets.allocated(conn, subnet.id)
        if subnet.gateway_ip:
            taken.add(subnet.gateway_ip)
        for address in ipam.candidates(subnet.allocation_pools, taken):
            if db_ports.allocate(conn, port_id, network_id, subnet.id, address):
                return
        raise exceptions.IpAddressGenerationFailure(net_id=network_id)

    def _visible(self, ctxt, conn, port_id):
        row = db_ports.get(conn, port_id)
        network = db_networks.get(conn, row.network_id)
        target = {"project_id": row.project_id, **authz.network_target(network)}
        if not authz.allowed(ctxt, "get_port", target):
            raise exceptions.PortNotFound(port_id=port_id)
        return row, network, target

    def get(self, ctxt, port_id: str) -> dict:
        with self.database.reader() as conn:
            row, _, _ = self._visible(ctxt, conn, port_id)
            return self._view(ctxt, conn, row)

    def list(self, ctxt, filters, sorts, limit, marker, fixed_ips=None) -> list[dict]:
        visible_to = None if ctxt.is_admin else ctxt.project_id
        with self.database.reader() as conn:
            rows = db_ports.list_(conn, visible_to, filters, sorts, limit, marker, fixed_ips)
            fixed = db_ports.fixed_ips(conn, [r.id for r in rows])
            groups = db_groups.of_ports(conn, [r.id for r in rows])
        show = {r.id: authz.allowed(ctxt, "get_port:binding", {"project_id": r.project_id})
                for r in rows}
        return [views.port(r, fixed[r.id], show[r.id], groups[r.id]) for r in rows]

    def update(self, ctxt, port_id: str, body: dict, if_match=None) -> dict:
        with self.database.writer() as conn:
            row, network, target = self._visible(ctxt, conn, port_id)
            before = row
            groups_before = db_groups.of_ports(conn, [port_id])[port_id]
            authz.authorize(ctxt, "update_port", target)
            check_revision(row, if_match)
            values = {k: body[k] for k in ("name", "description", "admin_state_up",
                                           "device_id", "device_owner",
                                           "port_security_enabled") if k in body}
            if any(k in body for k in _BINDING_KEYS):
                authz.authorize(ctxt, "update_port:binding", target)
                if "binding:host_id" in body and (body["binding:host_id"] or "") != \
                        row.binding_host_id:
                    # Bound elsewhere (or unbound): down until that host's agent wires it.
                    host = body["binding:host_id"] or ""
                    values.update(binding_host_id=host, status="DOWN",
                                  binding_vif_type=self._vif_type(conn, host))
                if "binding:profile" in body:
                    values["binding_profile"] = body["binding:profile"] or {}
            if "binding:vnic_type" in body:
                values["binding_vnic_type"] = body["binding:vnic_type"]
            if "allowed_address_pairs" in body:
                values["allowed_address_pairs"] = self._pairs(body["allowed_address_pairs"])
            if "mac_address" in body and body["mac_address"] != row.mac_address:
                authz.authorize(ctxt, "update_port:mac_address", target)
                values["mac_address"] = self._mac(ctxt, conn, row.network_id,
                                                  body["mac_address"], target)
            if "fixed_ips" in body:
                self._reallocate(ctxt, conn, row, network, body["fixed_ips"] or [], target)
            db_ports.update(conn, port_id, {**values, "updated_at": utcnow()})
            row = db_ports.get(conn, port_id)
            if not row.port_security_enabled:
                groups = body.get("security_groups") if "security_groups" in body else \
                    db_groups.of_ports(conn, [port_id])[port_id]
                if groups:
                    raise exceptions.PortSecurityPortHasSecurityGroup()
                db_groups.bind_ports(conn, port_id, [])
            elif "security_groups" in body:
                db_groups.bind_ports(conn, port_id, self._groups(
                    ctxt, conn, row, body["security_groups"] or []))
            view = self._view(ctxt, conn, row)
            full = _full(row, view)
            groups_after = db_groups.of_ports(conn, [port_id])[port_id]
        if groups_after != groups_before or "fixed_ips" in body:
            # Members (or their addresses) changed, which remote-group rules follow.
            self.security_groups.members_changed(ctxt, groups_before + groups_after)
        if row.binding_host_id != before.binding_host_id:
            if before.binding_host_id and self.agents is not None:
                self.agents.port_delete(ctxt, _full(before, {"id": port_id}))
            self._bound(ctxt, full)
        elif groups_after != groups_before or any(k in body for k in _FILTERED_KEYS):
            self._bound(ctxt, full)  # its host's agent filters (and serves) it anew
        if before.status != row.status:
            self.nova.status_changed(full, before.status)
        if "fixed_ips" in body:
            self.nova.changed(full)
        return view

    # -- what hosts' agents report ----------------------------------------------------------

    def device_details(self, ctxt, port_id: str, host: str) -> dict | None:
        with self.database.reader() as conn:
            row = db_ports.get_or_none(conn, port_id)
            if row is None or row.binding_host_id != host:
                return None
            return _full(row, self._view(ctxt, conn, row))

    def bound_to(self, ctxt, host: str) -> list[dict]:
        with self.database.reader() as conn:
            rows = db_ports.list_(conn, None, {"binding_host_id": [host]}, [], None, None)
            return [_full(r, {}) for r in rows]

    def set_device_status(self, ctxt, port_id: str, host: str, status: str) -> None:
        """An agent's report. A port since bound to another host, or gone, is left alone."""
        with self.database.writer() as conn:
            row = db_ports.get_or_none(conn, port_id)
            if row is None or row.binding_host_id != host or row.status == status:
                return
            db_ports.update(conn, port_id, {"status": status, "updated_at": utcnow()})
        # What Nova is told needs no view: the port's id, device and new status.
        self.nova.status_changed({**_full(row, {}), "status": status}, row.status)

    def _reallocate(self, ctxt, conn, row, network, asked, target) -> None:
        """Keep the addresses asked for that the port has, release the others, take the
        new ones."""
        subnets = {s.id: s for s in db_subnets.of_network(conn, network.id)}
        current = db_ports.fixed_ips(conn, [row.id])[row.id]
        wanted = [self._asked(item, subnets, network) for item in asked]
        # Addresses asked for by value are kept if held; each {"subnet_id"} alone keeps
        # one more held address of that subnet, or gets a new one (several per subnet).
        named = {w["ip_address"] for w in wanted if "ip_address" in w}
        spare = [c for c in current if c["ip_address"] not in named]
        keep = [c for c in current if c["ip_address"] in named]
        new = []
        for item in wanted:
            if "ip_address" in item:
                if not any(c["ip_address"] == item["ip_address"] for c in current):
                    new.append(item)
                continue
            held = next((c for c in spare if c["subnet_id"] == item["subnet_id"]), None)
            if held is None:
                new.append(item)
            else:
                spare.remove(held)
                keep.append(held)
        db_ports.release(conn, row.id, keep=keep)
        for item in new:
            if "ip_address" in item:
                authz.authorize(ctxt, "update_port:fixed_ips:ip_address", target)
                if not db_ports.allocate(conn, row.id, network.id, item["subnet_id"],
                                         item["ip_address"]):
                    raise exceptions.IpAddressAlreadyAllocated(ip=item["ip_address"],
                                                               subnet_id=item["subnet_id"])
            else:
                self._next_free(conn, row.id, network.id, subnets[item["subnet_id"]])

    def delete(self, ctxt, port_id: str) -> None:
        with self.database.writer() as conn:
            row, _, target = self._visible(ctxt, conn, port_id)
            authz.authorize(ctxt, "delete_port", target)
            if row.device_owner in _L3_OWNERS:
                # A router's and a floating IP's ports go with them, as Neutron keeps them.
                raise exceptions.ServicePortInUse(port_id=port_id, reason=(
                    "has device owner %s" % row.device_owner))
            self.release_floating_ips(conn, port_id)
            full = _full(row, {"id": port_id})
            groups = db_groups.of_ports(conn, [port_id])[port_id]
            db_ports.delete(conn, port_id)
        if self.agents is not None:
            self.agents.port_delete(ctxt, full)
        self.security_groups.members_changed(ctxt, groups)
        self.nova.deleted(full)

    @staticmethod
    def release_floating_ips(conn, port_id: str) -> None:
        """A deleted port's floating IPs stay the project's, no longer associated."""
        for fip in db_routers.fips_of_port(conn, port_id):
            db_routers.update_fip(conn, fip.id, {"fixed_port_id": None,
                                                 "fixed_ip_address": None,
                                                 "router_id": None, "status": "DOWN",
                                                 "updated_at": utcnow()})


def _full(row, view: dict) -> dict:
    """What agents and Nova are told, whatever the caller may see of the binding."""
    return {**view, "id": row.id, "status": row.status, "device_id": row.device_id,
            "device_owner": row.device_owner, "binding:host_id": row.binding_host_id,
            "binding:vif_type": row.binding_vif_type,
            "network_id": row.network_id, "mac_address": row.mac_address}


def _contains(subnet, address) -> bool:
    try:
        return ipam.parse_address(address, ipam.parse_cidr(subnet.cidr, subnet.ip_version),
                                  "IP address") in ipam.parse_cidr(subnet.cidr,
                                                                   subnet.ip_version)
    except exceptions.InvalidInput:
        return False
