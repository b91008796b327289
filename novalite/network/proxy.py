"""Nova's deprecated network proxy APIs (os-security-groups, os-security-group-rules,
os-floating-ips, os-floating-ip-pools, os-networks, os-tenant-networks; 2.1 to 2.35),
forwarded to the network service as Nova's security_group_api.py and neutron.py do.

Nova calls Neutron with the user's token, so Neutron keeps projects apart; NeutronAPI's
session is the service's (an administrator's), so here every call is filtered by the
caller's project and another project's resource is not found, unless the caller is an
administrator (as Neutron would show it to one).

BuiltinProxy answers for the built-in network ([network] backend = builtin): one network,
each project's implicit "default" group and no floating IPs, as Nova answers for a cloud
without those resources. of() picks the one for the compute API's network API.
"""

import ipaddress
import uuid

from novalite import exception
from novalite.network.api import _NAMESPACE
from novalite.network.errors import Failed as _Failed
from novalite.network.neutron import NeutronAPI
from novalite.network.server_actions import _nova_rule


class SecurityGroupNotFound(exception.NotFound):
    msg_fmt = "Security group %(security_group_id)s not found."


class SecurityGroupLimitExceeded(exception.Forbidden):
    msg_fmt = "Quota exceeded, too many security groups."


class FloatingIpNotFound(exception.NotFound):
    msg_fmt = "Floating IP not found for ID %(id)s"


class FloatingIpPoolNotFound(exception.NotFound):
    msg_fmt = "Floating IP pool not found."


class NoMoreFloatingIps(exception.NotFound):  # Nova's API: 404
    msg_fmt = "No more floating IPs available."


class FloatingIpLimitExceeded(exception.Forbidden):
    msg_fmt = "IP allocation over quota."


class NetworkNotFound(exception.NotFound):
    msg_fmt = "Network not found"


class NetworkServiceFailed(exception.Invalid):
    """What the network service refused, in its words (Nova's exception.Invalid(str(e)))."""
    msg_fmt = "%(reason)s"


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return False
    return True


def validate_group_id(group_id: str) -> str:
    if not is_uuid(group_id):
        raise exception.Invalid("Security group id should be uuid")
    return group_id


def _ports(protocol, from_port, to_port, group_id):
    """Nova's _new_ingress_rule checks: -> (protocol, from, to), or None for no protocol."""
    if group_id:  # a source group opens everything unless told otherwise
        upper = protocol.upper() if isinstance(protocol, str) else ""
        if from_port is None and to_port is None:
            if upper == "ICMP":
                from_port = to_port = -1
            elif upper in ("TCP", "UDP"):
                from_port, to_port = 1, 65535
    if not protocol or from_port is None or to_port is None:
        return None
    protocol = str(protocol)
    upper = protocol.upper()
    try:
        from_port, to_port = int(from_port), int(to_port)
    except (TypeError, ValueError):
        raise exception.Invalid("Invalid input received: %s" % (
            "Type and Code must be integers for ICMP protocol type" if upper == "ICMP"
            else "To and From ports must be integers")) from None
    if upper not in ("TCP", "UDP", "ICMP"):
        raise exception.Invalid("Invalid IP protocol %s." % protocol)

    def bad(msg):
        return exception.Invalid("Invalid port range %s:%s. %s" % (from_port, to_port, msg))

    if upper in ("TCP", "UDP") and from_port > to_port:
        raise bad("Former value cannot be greater than the later")
    if upper in ("TCP", "UDP") and (from_port < 1 or to_port > 65535):
        raise bad("Valid %s ports should be between 1-65535" % upper)
    if upper == "ICMP" and not (-1 <= from_port <= 255 and -1 <= to_port <= 255):
        raise bad("For ICMP, the type:code must be valid")
    return protocol, from_port, to_port


def new_ingress_rule(ip_protocol, from_port, to_port, cidr, group_id) -> dict:
    """Nova's _rule_args_to_dict and its checks: the rule in Nova's internal shape
    ({protocol, from_port, to_port, cidr | group_id})."""
    values = {}
    if group_id is not None:
        values["group_id"] = group_id
    else:
        cidr = cidr or "0.0.0.0/0"
        try:
            if not isinstance(cidr, str) or "/" not in cidr:
                raise ValueError(cidr)
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            raise exception.Invalid("%s is not a valid IP network." % cidr) from None
        values["cidr"] = cidr
    checked = _ports(ip_protocol, from_port, to_port, group_id)
    if checked is None:
        if group_id is None:
            raise exception.Invalid("Not enough parameters to build a valid rule.")
    else:
        values["protocol"], values["from_port"], values["to_port"] = checked
    if "cidr" in values:
        net, prefix = values["cidr"].split("/", 1)
        if net not in ("0.0.0.0", "::") and prefix == "0":
            raise exception.Invalid("Bad prefix for network in cidr %s" % values["cidr"])
    return values


def _internal_rule(rule: dict) -> dict:
    """A Neutron rule as Nova's _convert_to_nova_security_group_rule_format keeps it, for
    Nova's "this rule already exists" comparison."""
    protocol = rule.get("protocol")
    low, high = rule.get("port_range_min"), rule.get("port_range_max")
    if protocol and low is None and high is None:
        low, high = (1, 65535) if protocol.upper() in ("TCP", "UDP") else (-1, -1)
    return {"group_id": rule.get("remote_group_id"),
            "cidr": rule.get("remote_ip_prefix") or "0.0.0.0/0",
            "protocol": protocol, "from_port": low, "to_port": high}


def network_dict(ctxt, network: dict, cidr=None) -> dict:
    """Nova's networks.py network_dict for Neutron: id and label, the rest null."""
    fields = ("id", "cidr", "netmask", "gateway", "broadcast", "dns1", "dns2", "cidr_v6",
              "gateway_v6", "label", "netmask_v6")
    if ctxt.is_admin:
        fields += ("created_at", "updated_at", "deleted_at", "deleted", "injected", "bridge",
                   "vlan", "vpn_public_address", "vpn_public_port", "vpn_private_address",
                   "dhcp_start", "project_id", "host", "bridge_interface", "multi_host",
                   "priority", "rxtx_base", "mtu", "dhcp_server", "enable_dhcp",
                   "share_address")
    out = dict.fromkeys(fields)
    out.update(id=network["id"], label=network["name"], cidr=cidr)
    return out


def tenant_network_dict(network: dict) -> dict:
    """Nova's tenant_networks.py network_dict: cidr is the string "None", as Nova gives."""
    return {"id": network.get("id"), "cidr": str(None), "label": network.get("name")}


def of(network_api):
    if isinstance(network_api, NeutronAPI):
        return NetworkProxy(network_api)
    return BuiltinProxy(network_api)


class NetworkProxy:
    def __init__(self, neutron: NeutronAPI):
        self.neutron = neutron

    def _call(self, method, path, body=None, **params):
        return self.neutron._call(method, path, body, params=params or None)

    @staticmethod
    def _mine(ctxt, resource: dict) -> bool:
        return ctxt.is_admin or resource.get("project_id") == ctxt.project_id

    # -- security groups -------------------------------------------------------------------

    def _group(self, ctxt, group_id: str) -> dict:
        try:
            group = self._call("GET", "/security-groups/" + group_id)["security_group"]
        except _Failed as e:
            if e.status == 404:
                raise SecurityGroupNotFound(e.message) from None
            raise
        if not self._mine(ctxt, group):
            raise SecurityGroupNotFound("Security group %s does not exist" % group_id)
        return group

    def _legacy(self, groups: list[dict]) -> list[dict]:
        """Nova's _format_security_group: ingress rules only; a rule whose remote group is
        gone is left out."""
        known = {g["id"]: g for g in groups}
        remote = sorted({r["remote_group_id"] for g in groups
                         for r in g.get("security_group_rules") or ()
                         if r.get("remote_group_id")} - set(known))
        if remote:
            known.update({g["id"]: g for g in self._call(
                "GET", "/security-groups", id=remote,
                fields=["id", "name", "project_id"])["security_groups"]})
        return [{"id": g["id"], "name": g["name"], "description": g.get("description", ""),
                 "tenant_id": g["project_id"],
                 "rules": [rule for rule in (_nova_rule(r, known) for r in
                                             g.get("security_group_rules") or ()
                                             if r["direction"] == "ingress") if rule]}
                for g in groups]

    def list_security_groups(self, ctxt, all_tenants: bool = False) -> list[dict]:
        params = {} if all_tenants and ctxt.is_admin else {"project_id": ctxt.project_id}
        return self._legacy(self._call("GET", "/security-groups", **params)[
            "security_groups"])

    def get_security_group(self, ctxt, group_id: str) -> dict:
        return self._legacy([self._group(ctxt, validate_group_id(group_id))])[0]

    def create_security_group(self, ctxt, name: str, description: str) -> dict:
        try:
            group = self._call("POST", "/security-groups", {"security_group": {
                "name": name, "description": description,
                "project_id": ctxt.project_id}})["security_group"]
        except _Failed as e:
            if e.status == 409:
                raise SecurityGroupLimitExceeded(e.message) from None
            raise NetworkServiceFailed(reason=e.message) from None
        return self._legacy([group])[0]

    def update_security_group(self, ctxt, group_id: str, name: str, description: str
                              ) -> dict:
        group = self._group(ctxt, validate_group_id(group_id))
        try:
            group = self._call("PUT", "/security-groups/" + group["id"], {"security_group": {
                "name": name, "description": description}})["security_group"]
        except _Failed as e:
            if e.status == 404:
                raise SecurityGroupNotFound(e.message) from None
            raise NetworkServiceFailed(reason=e.message) from None
        return self._legacy([group])[0]

    def delete_security_group(self, ctxt, group_id: str) -> None:
        group = self._group(ctxt, validate_group_id(group_id))
        if group["name"] == "default" and not ctxt.is_admin:
            # Neutron refuses the user's token this (our session's would be let through).
            raise NetworkServiceFailed(reason="Removing default security group not allowed.")
        try:
            self._call("DELETE", "/security-groups/" + group["id"])
        except _Failed as e:
            if e.status == 404:
                raise SecurityGroupNotFound(e.message) from None
            raise NetworkServiceFailed(reason=e.message) from None  # in use: 400, as Nova

    def create_security_group_rule(self, ctxt, parent_group_id: str, group_id, ip_protocol,
                                   from_port, to_port, cidr) -> dict:
        parent = self._group(ctxt, parent_group_id)
        source = self._group(ctxt, group_id) if group_id is not None else None
        new = new_ingress_rule(ip_protocol, from_port, to_port, cidr, group_id)
        keys = ("group_id", "cidr", "from_port", "to_port", "protocol")
        for rule in parent.get("security_group_rules") or ():
            if rule["direction"] == "ingress" and all(
                    _internal_rule(rule).get(k) == new.get(k) for k in keys):
                raise exception.Invalid("This rule already exists in group %s" %
                                        parent["id"])
        body = {"direction": "ingress", "protocol": new.get("protocol"),
                "ethertype": "IPv6" if ":" in (new.get("cidr") or "") else "IPv4",
                "remote_ip_prefix": new.get("cidr"), "remote_group_id": new.get("group_id"),
                "security_group_id": parent["id"]}
        if new.get("from_port", -1) != -1:
            body["port_range_min"] = new["from_port"]
        if new.get("to_port", -1) != -1:
            body["port_range_max"] = new["to_port"]
        try:
            rule = self._call("POST", "/security-group-rules",
                              {"security_group_rule": body})["security_group_rule"]
        except _Failed as e:
            if e.status == 404:
                raise SecurityGroupNotFound(e.message) from None
            if e.status == 409:  # Nova: SecurityGroupLimitExceeded, a 403
                raise SecurityGroupLimitExceeded(e.message) from None
            raise NetworkServiceFailed(reason=e.message) from None
        groups = {source["id"]: source} if source else {}
        return _nova_rule(rule, groups)

    def delete_security_group_rule(self, ctxt, rule_id: str) -> None:
        validate_group_id(rule_id)
        try:
            rule = self._call("GET", "/security-group-rules/" + rule_id)[
                "security_group_rule"]
        except _Failed as e:
            if e.status == 404:
                raise SecurityGroupNotFound(e.message) from None
            raise
        if not self._mine(ctxt, rule):
            raise SecurityGroupNotFound("Security group rule %s does not exist" % rule_id)
        self._group(ctxt, rule["security_group_id"])
        try:
            self._call("DELETE", "/security-group-rules/" + rule_id)
        except _Failed as e:
            if e.status == 404:
                raise SecurityGroupNotFound(e.message) from None
            raise NetworkServiceFailed(reason=e.message) from None

    # -- floating IPs ----------------------------------------------------------------------

    def _fip_views(self, fips: list[dict]) -> list[dict]:
        """Nova's _translate_floating_ip_view (the pool is the network's name, else id)."""
        ids = sorted({f["floating_network_id"] for f in fips})
        names = {}
        if ids:
            names = {n["id"]: n.get("name") for n in self._call(
                "GET", "/networks", id=ids, fields=["id", "name"])["networks"]}
        return [{"fixed_ip": f.get("fixed_ip_address"), "id": f["id"],
                 "instance_id": (f.get("port_details") or {}).get("device_id"),
                 "ip": f["floating_ip_address"],
                 "pool": names.get(f["floating_network_id"]) or f["floating_network_id"]}
                for f in fips]

    def _fip(self, ctxt, fip_id: str) -> dict:
        try:
            fip = self._call("GET", "/floatingips/" + fip_id)["floatingip"]
        except _Failed as e:
            if e.status in (400, 404):
                raise FloatingIpNotFound(id=fip_id) from None
            raise
        if not self._mine(ctxt, fip):
            raise FloatingIpNotFound(id=fip_id)
        return fip

    def list_floating_ips(self, ctxt) -> list[dict]:
        return self._fip_views(self._call("GET", "/floatingips", project_id=ctxt.project_id)[
            "floatingips"])

    def get_floating_ip(self, ctxt, fip_id: str) -> dict:
        return self._fip_views([self._fip(ctxt, fip_id)])[0]

    def _pool_id(self, pool: str | None) -> str:
        """Nova's _get_floating_ip_pool_id_by_name_or_id; no pool named: the default
        external network (Neutron's is_default), else the only one."""
        params = {"router:external": "true", "fields": ["id", "is_default"]}
        if pool:
            params["id" if is_uuid(pool) else "name"] = pool
        nets = self._call("GET", "/networks", **params)["networks"]
        if not pool:
            nets = [n for n in nets if n.get("is_default")] or \
                (nets if len(nets) == 1 else [])
        if not nets:
            raise FloatingIpPoolNotFound()
        if len(nets) > 1:
            raise exception.Invalid("Multiple floating IP pools matches found for name '%s'"
                                    % pool)
        return nets[0]["id"]

    def allocate_floating_ip(self, ctxt, pool: str | None) -> dict:
        network_id = self._pool_id(pool)
        try:
            fip = self._call("POST", "/floatingips", {"floatingip": {
                "floating_network_id": network_id, "project_id": ctxt.project_id}})[
                "floatingip"]
        except _Failed as e:
            if e.kind in ("IpAddressGenerationFailure", "ExternalIpAddressExhausted"):
                raise NoMoreFloatingIps("No more floating IPs in pool %s." % pool if pool
                                        else "No more floating IPs available.") from None
            if e.kind == "OverQuota":
                raise FloatingIpLimitExceeded("IP allocation over quota in pool %s." % pool
                                              if pool else "IP allocation over quota."
                                              ) from None
            raise NetworkServiceFailed(reason=e.message) from None
        return self._fip_views([fip])[0]

    def release_floating_ip(self, ctxt, fip_id: str) -> None:
        """Nova's disassociate_and_release_floating_ip: deleting it disassociates it (the
        network service tells the server's host, whose addresses then lose it)."""
        fip = self._fip(ctxt, fip_id)
        try:
            self._call("DELETE", "/floatingips/" + fip["id"])
        except _Failed as e:
            if e.status == 404:
                raise exception.NotFound("Floating IP not found for address %s." %
                                         fip["floating_ip_address"]) from None
            raise NetworkServiceFailed(reason=e.message) from None

    def floating_ip_pools(self, ctxt) -> list[dict]:
        """Nova's get_floating_ip_pools: the external networks."""
        return [{"name": n.get("name") or n["id"]} for n in self._call(
            "GET", "/networks", **{"router:external": "true", "fields": ["id", "name"]})[
            "networks"]]

    # -- networks --------------------------------------------------------------------------

    @staticmethod
    def _visible(ctxt, network: dict) -> bool:
        """What Neutron lists to the caller: its project's, shared and external networks
        (every network to an administrator)."""
        return (ctxt.is_admin or network.get("project_id") == ctxt.project_id
                or bool(network.get("shared")) or bool(network.get("router:external")))

    def list_networks(self, ctxt) -> list[dict]:
        return [n for n in self._call("GET", "/networks")["networks"]
                if self._visible(ctxt, n)]

    def get_network(self, ctxt, network_id: str) -> dict:
        try:
            network = self._call("GET", "/networks/" + network_id)["network"]
        except _Failed as e:
            if e.status in (400, 404):
                raise NetworkNotFound() from None
            raise
        if not self._visible(ctxt, network):
            raise NetworkNotFound()
        return network

    @staticmethod
    def network_cidr(network: dict):
        return None  # Nova's network_dict for Neutron


class BuiltinProxy:
    """The built-in network: one network, each project's implicit default group (no
    rules, not to be changed) and no floating IPs."""

    NOT_SUPPORTED = "The built-in network has only the implicit 'default' security group."

    def __init__(self, network_api):
        self.network_api = network_api

    def _default(self, project_id: str) -> dict:
        # the id GET /servers/{id}/os-security-groups shows (network/api.py)
        return {"id": str(uuid.uuid5(_NAMESPACE, "novalite-default-group:" + project_id)),
                "name": "default", "description": "default", "tenant_id": project_id,
                "rules": []}

    def list_security_groups(self, ctxt, all_tenants: bool = False) -> list[dict]:
        return [self._default(ctxt.project_id)]

    def get_security_group(self, ctxt, group_id: str) -> dict:
        validate_group_id(group_id)
        group = self._default(ctxt.project_id)
        if group["id"] != group_id:
            raise SecurityGroupNotFound("Security group %s does not exist" % group_id)
        return group

    def create_security_group(self, ctxt, name: str, description: str) -> dict:
        raise exception.Invalid(self.NOT_SUPPORTED)

    def update_security_group(self, ctxt, group_id, name, description) -> dict:
        self.get_security_group(ctxt, group_id)
        raise exception.Invalid(self.NOT_SUPPORTED)

    def delete_security_group(self, ctxt, group_id: str) -> None:
        self.get_security_group(ctxt, group_id)
        raise exception.Invalid(self.NOT_SUPPORTED)

    def create_security_group_rule(self, ctxt, parent_group_id, group_id, ip_protocol,
                                   from_port, to_port, cidr) -> dict:
        self.get_security_group(ctxt, parent_group_id)
        if group_id is not None:
            self.get_security_group(ctxt, group_id)
        new_ingress_rule(ip_protocol, from_port, to_port, cidr, group_id)
        raise exception.Invalid(self.NOT_SUPPORTED)

    def delete_security_group_rule(self, ctxt, rule_id: str) -> None:
        validate_group_id(rule_id)
        raise SecurityGroupNotFound("Security group rule %s does not exist" % rule_id)

    @staticmethod
    def list_floating_ips(ctxt) -> list[dict]:
        return []

    @staticmethod
    def get_floating_ip(ctxt, fip_id: str) -> dict:
        raise FloatingIpNotFound(id=fip_id)

    @staticmethod
    def allocate_floating_ip(ctxt, pool) -> dict:
        raise FloatingIpPoolNotFound()

    @staticmethod
    def release_floating_ip(ctxt, fip_id: str) -> None:
        raise FloatingIpNotFound(id=fip_id)

    @staticmethod
    def floating_ip_pools(ctxt) -> list[dict]:
        return []

    def list_networks(self, ctxt) -> list[dict]:
        return [{"id": n["id"], "name": n["label"], "cidr": n["cidr"]}
                for n in self.network_api.networks()]

    def get_network(self, ctxt, network_id: str) -> dict:
        for network in self.list_networks(ctxt):
            if network["id"] == network_id:
                return network
        raise NetworkNotFound()

    @staticmethod
    def network_cidr(network: dict):
        return network.get("cidr")
