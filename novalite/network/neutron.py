"""The compute side's client of the network service (Neutron's v2.0 API), as Nova's
nova/network/neutron.py: the compute API validates the networks a boot asks for, a compute
host creates the server's ports, binds them to itself and builds the server's network
info from them, and a delete removes the ports Nova made and gives back the ones the user
brought. All over HTTP with the service's token, so compute knows nothing of the network
service's insides.

network_info (stored on the instance, shown as `addresses`) is a list of VIFs:
  [{"id": <port id>, "network": <name>, "network_id", "mac", "active": bool,
    "preserve_on_delete": bool, "tag": <2.32 device tag or None>, "devname": "tap...",
    "ips": [{"address", "version", "type": "fixed"|"floating"}],
    "security_groups": [<the names of the port's security groups>]}]
"""

import logging

from novalite import service_auth
from novalite.network import errors
from novalite.network.errors import Failed as _Failed
from novalite.network.server_actions import ServerActions

LOG = logging.getLogger(__name__)
_DEVNAME_LEN = 14  # Linux's interface names: "tap" + the port id's first 11 characters


def network_url(conf) -> str:
    return (conf.network.url or service_auth.local_url(conf.network_api.listen,
                                                       conf.network_api.port)).rstrip("/")


def _check_bound(port: dict) -> None:
    if port.get("binding:vif_type") == "binding_failed":
        raise errors.PortBindingFailed(port_id=port["id"])


class NeutronAPI(ServerActions):
    joins_transaction = False  # its writes are the network service's, not ours

    def __init__(self, conf, service_password: str | None = None, session=None):
        self.url = network_url(conf)
        self.timeout = conf.network.timeout
        self.session = session or service_auth.session(conf, self.url, service_password)

    # -- HTTP ------------------------------------------------------------------------------

    def _call(self, method: str, path: str, body=None, params=None):
        try:
            resp = self.session.request(self.url + "/v2.0" + path, method, json=body,
                                        params=params, raise_exc=False, timeout=self.timeout)
        except Exception as e:
            raise errors.NetworkServiceError(reason="%s %s: %s" % (method, path, e)) from e
        if resp.status_code == 204:
            return None
        if resp.status_code >= 400:
            try:
                fault = resp.json().get("NeutronError") or {}
            except ValueError:
                fault = {}
            raise _Failed(resp.status_code, fault.get("type", ""),
                          fault.get("message") or resp.text[:200])
        return resp.json()

    def _get(self, path: str, **params):
        return self._call("GET", path, params=params)

    # -- lookups ---------------------------------------------------------------------------

    def _network(self, network_id: str) -> dict:
        try:
            return self._get("/networks/" + network_id)["network"]
        except _Failed as e:
            if e.status == 404:
                raise errors.NetworkNotFound(network_id=network_id) from None
            raise errors.NetworkServiceError(reason=e.message) from None

    def _port(self, port_id: str) -> dict:
        try:
            return self._get("/ports/" + port_id)["port"]
        except _Failed as e:
            if e.status == 404:
                raise errors.PortNotFound(port_id=port_id) from None
            raise errors.NetworkServiceError(reason=e.message) from None

    def available_networks(self, project_id: str) -> list[dict]:
        """The networks a project's servers may use unasked: its own and the shared ones,
        as Nova's _get_available_networks."""
        own = self._get("/networks", project_id=project_id, shared="false")["networks"]
        shared = self._get("/networks", shared="true")["networks"]
        return [n for n in own + shared if n.get("status", "ACTIVE") == "ACTIVE"]

    def _can_auto_allocate(self, project_id: str) -> bool:
        try:
            self._get("/auto-allocated-topology/" + project_id, fields="dry-run")
        except _Failed:
            return False
        return True

    # -- the compute API's checks ------------------------------------------------------------

    def validate_requested(self, ctxt, requested, max_count: int = 1):
        """Nova's validate_networks: what a boot asks for exists, is the project's to use
        and is free. requested: None (no networks given, before 2.37), "auto", "none", or
        [{"uuid"|"port", "fixed_ip", "tag"}]. -> what the host is to allocate: the one
        network available when none was named (its name kept for the server's addresses),
        else requested."""
        if requested == "none":
            return requested
        if requested in (None, "auto"):
            networks = self.available_networks(ctxt.project_id)
            if len(networks) > 1:
                raise errors.NetworkAmbiguous()
            if networks:
                return [{"uuid": networks[0]["id"], "name": networks[0]["name"]}]
            if self._can_auto_allocate(ctxt.project_id):
                # Before 2.37 too (Nova would boot it with no network there): a server
                # of novalite always had an address, and clients expect one (CLIENTS.md).
                return "auto"
            if requested == "auto":
                raise errors.UnableToAutoAllocateNetwork(project_id=ctxt.project_id)
            return requested
        for item in requested:
            if item.get("port"):
                port = self._port(item["port"])
                if port["project_id"] != ctxt.project_id and not ctxt.is_admin:
                    raise errors.PortNotFound(port_id=item["port"])
                if port.get("device_id"):
                    raise errors.PortInUse(port_id=item["port"])
                if not port.get("fixed_ips"):
                    raise errors.PortRequiresFixedIP(port_id=item["port"])
                if max_count > 1:
                    raise errors.InvalidFixedIpAndMaxCountRequest(reason=(
                        "a port can be given to one instance only"))
                continue
            network = self._visible_network(ctxt, item["uuid"])
            if item.get("fixed_ip"):
                if max_count > 1:
                    raise errors.InvalidFixedIpAndMaxCountRequest(reason=(
                        "fixed IP cannot be used with max_count > 1"))
                self._check_fixed_ip(network, item["fixed_ip"])
        return requested

    def validate_security_groups(self, ctxt, names) -> None:
        """Every group asked for is the project's (by name or id), as Nova checks at boot."""
        self._group_ids(ctxt.project_id, names)

    def _visible_network(self, ctxt, network_id: str) -> dict:
        network = self._network(network_id)
        if not ctxt.is_admin and network["project_id"] != ctxt.project_id:
            if network.get("router:external") and not network.get("shared"):
                raise errors.ExternalNetworkAttachForbidden(network_uuid=network_id)
            if not network.get("shared"):
                raise errors.NetworkNotFound(network_id=network_id)
        return network

    def _check_fixed_ip(self, network: dict, address: str) -> None:
        used = self._get("/ports", network_id=network["id"],
                         fixed_ips="ip_address=" + address)["ports"]
        if used:
            raise errors.FixedIpAlreadyInUse(address=address,
                                             instance_uuid=used[0].get("device_id") or "")

    # -- a compute host's build ------------------------------------------------------------

    def allocate_for_instance(self, instance, requested, host: str, owner: str,
                              security_groups=None, before_bind=None) -> list[dict]:
        """Create ports bound to host (or bind the user's): before_bind(port ids) is told
        the ports whose network-vif-plugged events are to come (the compute host keeps an
        event that comes before its waiter). Nothing is left behind on failure."""
        if requested == "none":
            return []
        plan = self._plan(instance, requested)
        named = self._group_map(instance.project_id, security_groups)
        groups = None if named is None else list(named)
        made, taken = [], []
        try:
            ports = []
            for item in plan:
                if item.get("port"):
                    ports.append((self._port(item["port"]), True, item.get("tag")))
                    continue
                body = {"network_id": item["uuid"], "project_id": instance.project_id,
                        "device_id": instance.uuid, "device_owner": owner,
                        "binding:host_id": host}
                if item.get("fixed_ip"):
                    body["fixed_ips"] = [{"ip_address": item["fixed_ip"]}]
                if groups is not None:
                    body["security_groups"] = groups
                port = self._create_port(body)
                made.append(port["id"])
                _check_bound(port)
                ports.append((port, False, item.get("tag")))
            if before_bind is not None:  # the ports bound to this host by this build
                before_bind([p["id"] for p, keep, _ in ports
                             if not keep or p.get("binding:host_id") != host])
            bound = []
            for port, preserve, tag in ports:
                if preserve:
                    taken.append(port["id"])
                    port = self._update_port(port["id"], {
                        "binding:host_id": host, "device_id": instance.uuid,
                        "device_owner": owner})
                    _check_bound(port)
                bound.append((port, preserve, tag))
            names = {item["uuid"]: item["name"] for item in plan if item.get("name")}
            # The groups' names are known: the ones asked for, else the project's default
            # (the one group a port made without any gets).
            known = dict(named or {})
            for port, keep, _ in bound:
                if not keep and named is None:
                    known.update(dict.fromkeys(port.get("security_groups") or (), "default"))
            return self._network_info(bound, floating=[p["id"] for p, keep, _ in bound if keep],
                                      names=names, group_names=known)
        except Exception:
            self._undo(made, taken)
            raise

    def _plan(self, instance, requested) -> list[dict]:
        if requested not in (None, "auto"):
            return list(requested)
        networks = self.available_networks(instance.project_id)
        if len(networks) > 1:
            raise errors.NetworkAmbiguous()
        if networks:
            return [{"uuid": networks[0]["id"]}]
        if requested is None:
            return []  # before 2.37, no network to give is a server without one
        try:  # Nova's get-me-a-network
            topology = self._get("/auto-allocated-topology/" + instance.project_id)
        except _Failed as e:
            raise errors.UnableToAutoAllocateNetwork(project_id=instance.project_id) from e
        return [{"uuid": topology["auto_allocated_topology"]["id"]}]  # named by a lookup

    def _group_ids(self, project_id: str, names) -> list[str] | None:
        """Security group names or ids -> the project's group ids; None: the project's
        default group (the network service gives it)."""
        found = self._group_map(project_id, names)
        return None if found is None else list(found)

    def _group_map(self, project_id: str, names) -> dict[str, str] | None:
        """{group id: name} of the groups asked for; None: just the default group."""
        names = [n for n in names or () if n]
        if not names or names == ["default"]:
            return None
        groups = self._get("/security-groups", project_id=project_id,
                           fields=["id", "name"])["security_groups"]
        out = {}
        for name in names:
            match = [g for g in groups if name in (g["id"], g["name"])]
            if not match:
                raise errors.SecurityGroupNotFoundForProject(security_group_id=name,
                                                             project_id=project_id)
            if len(match) > 1:
                raise errors.NetworkServiceError(reason=(
                    "Multiple security groups named %s in project %s" % (name, project_id)))
            out[match[0]["id"]] = match[0]["name"] or match[0]["id"]
        return out

    def _create_port(self, body: dict) -> dict:
        try:
            return self._call("POST", "/ports", {"port": body})["port"]
        except _Failed as e:
            raise errors.NetworkServiceError(reason="creating a port on network %s: %s (%s)"
                                             % (body["network_id"], e.message, e.kind)
                                             ) from None

    def _update_port(self, port_id: str, body: dict) -> dict:
        try:
            return self._call("PUT", "/ports/" + port_id, {"port": body})["port"]
        except _Failed as e:
            if e.status == 404:
                raise errors.PortNotFound(port_id=port_id) from None
            raise errors.NetworkServiceError(reason="updating port %s: %s" % (
                port_id, e.message)) from None

    def _undo(self, made: list[str], taken: list[str]) -> None:
        for port_id in made:
            self._delete_port(port_id)
        for port_id in taken:
            self._release_port(port_id)

    def _delete_port(self, port_id: str) -> None:
        try:
            self._call("DELETE", "/ports/" + port_id)
        except _Failed as e:
            if e.status != 404:
                LOG.warning("Could not delete port %s: %s", port_id, e.message)
        except errors.NetworkServiceError as e:
            LOG.warning("Could not delete port %s: %s", port_id, e)

    def _release_port(self, port_id: str) -> None:
        """A user's port goes back to them unbound, as Nova's _unbind_ports."""
        try:
            self._call("PUT", "/ports/" + port_id, {"port": {
                "device_id": "", "device_owner": "", "binding:host_id": None}})
        except _Failed as e:
            if e.status != 404:
                LOG.warning("Could not unbind port %s: %s", port_id, e.message)
        except errors.NetworkServiceError as e:
            LOG.warning("Could not unbind port %s: %s", port_id, e)

    # -- the server's network info -----------------------------------------------------------

    def _network_info(self, ports: list[tuple], floating: list[str], names=None,
                      group_names=None) -> list[dict]:
        """ports: [(port, preserve_on_delete, tag)]; floating: the port ids that may have
        floating IPs (a port made just now has none); names, group_names: the network and
        security group names known already (by id)."""
        names = dict(names or {})
        names.update(self._network_names({p["network_id"] for p, _, _ in ports} - set(names)))
        fips = self._floating_ips(floating)
        group_names = dict(group_names or {})
        group_names.update(self._group_names([p for p, _, _ in ports], known=group_names))
        out = []
        for port, preserve, tag in ports:
            ips = [{"address": f["ip_address"], "version": 6 if ":" in f["ip_address"] else 4,
                    "type": "fixed", "subnet_id": f["subnet_id"]}
                   for f in port.get("fixed_ips", ())]
            ips += [{"address": a, "version": 6 if ":" in a else 4, "type": "floating"}
                    for a in fips.get(port["id"], ())]
            out.append({"id": port["id"], "network": names.get(port["network_id"], ""),
                        "network_id": port["network_id"], "mac": port["mac_address"],
                        "active": port.get("status") == "ACTIVE",
                        "preserve_on_delete": preserve, "tag": tag,
                        "type": port.get("binding:vif_type"),
                        "devname": ("tap" + port["id"])[:_DEVNAME_LEN], "ips": ips,
                        "security_groups": [group_names[g] for g in
                                            port.get("security_groups") or ()
                                            if g in group_names]})
        return out

    def _network_names(self, network_ids: set[str]) -> dict[str, str]:
        if not network_ids:
            return {}
        found = self._get("/networks", id=sorted(network_ids), fields=["id", "name"])
        return {n["id"]: n["name"] for n in found["networks"]}

    def _floating_ips(self, port_ids: list[str]) -> dict[str, list[str]]:
        if not port_ids:
            return {}
        out: dict[str, list[str]] = {}
        for fip in self._get("/floatingips", port_id=port_ids)["floatingips"]:
            out.setdefault(fip["port_id"], []).append(fip["floating_ip_address"])
        return out

    def add_subnet_details(self, network_info: list[dict]) -> list[dict]:
        """The VIFs with their subnets (CIDR, gateway, DNS, routes), which network_data.json
        on a config drive describes: one list call for all of them."""
        subnet_ids = sorted({ip["subnet_id"] for vif in network_info for ip in vif["ips"]
                             if ip.get("subnet_id")})
        if not subnet_ids:
            return network_info
        found = {s["id"]: s for s in self._get("/subnets", id=subnet_ids)["subnets"]}
        keys = ("id", "cidr", "ip_version", "gateway_ip", "dns_nameservers", "host_routes",
                "enable_dhcp", "ipv6_address_mode")
        return [{**vif, "subnets": [{k: found[i].get(k) for k in keys} for i in dict.fromkeys(
            ip.get("subnet_id") for ip in vif["ips"]) if i in found]} for vif in network_info]

    def refresh_network_info(self, instance) -> list[dict]:
        """The server's VIFs as its ports are now (Nova's network-changed handling)."""
        ports = self._get("/ports", device_id=instance.uuid)["ports"]
        known = {vif.get("id"): vif for vif in instance.network_info or ()}
        order = {port_id: i for i, port_id in enumerate(known)}
        ports.sort(key=lambda p: (order.get(p["id"], len(order)), p["id"]))
        return self._network_info(
            [(p, known.get(p["id"], {}).get("preserve_on_delete", False),
              known.get(p["id"], {}).get("tag")) for p in ports],
            floating=[p["id"] for p in ports])

    def setup_instance_network_on_host(self, instance, host: str) -> list[dict]:
        """A server that moved (resize, migrate, evacuate, unshelve, live migration): its
        ports bound to its new host, as Nova's setup_instance_network_on_host and
        migrate_instance_finish. -> its network info as the ports are now."""
        ports = self._get("/ports", device_id=instance.uuid)["ports"]
        for port in ports:
            if port.get("binding:host_id") != host:
                self._update_port(port["id"], {"binding:host_id": host})
        return self.refresh_network_info(instance)

    def deallocate_for_instance(self, instance) -> None:
        """Delete the ports Nova made, unbind the ones the user brought."""
        keep = {vif["id"] for vif in instance.network_info or () if
                vif.get("preserve_on_delete")}
        if isinstance(instance.requested_networks, list):
            keep |= {item["port"] for item in instance.requested_networks
                     if item.get("port")}
        try:
            ports = self._get("/ports", device_id=instance.uuid)["ports"]
        except (_Failed, errors.NetworkServiceError) as e:
            LOG.warning("Could not list the ports of instance %s: %s", instance.uuid, e)
            return
        for port in ports:
            if port["id"] in keep:
                self._release_port(port["id"])
            else:
                self._delete_port(port["id"])
