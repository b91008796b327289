"""The server actions that change a server's ports in the network service, as Nova's
neutron API makes them: add/removeSecurityGroup and the server's security groups,
add/removeFloatingIp, add/removeFixedIp. A mixin of NeutronAPI (network/neutron.py), which
holds the HTTP and the server's network info."""

import logging

from novalite.network import errors
from novalite.network.errors import Failed as _Failed

LOG = logging.getLogger(__name__)


class ServerActions:
    def _action_call(self, method: str, path: str, body=None, **params):
        """A call of a server action: the network service's own failures are its errors."""
        try:
            return self._call(method, path, body, params=params or None)
        except _Failed as e:
            raise errors.NetworkServiceError(reason="%s %s: %s" % (method, path, e.message)
                                             ) from None

    def _server_ports(self, instance) -> list[dict]:
        return self._action_call("GET", "/ports", device_id=instance.uuid)["ports"]

    def _find_group(self, project_id: str, name: str) -> dict:
        """A security group of the project by id or name, as Nova's
        find_resourceid_by_name_or_id (404 when missing, 409 when ambiguous)."""
        groups = self._action_call("GET", "/security-groups", project_id=project_id,
                                   fields=["id", "name"])["security_groups"]
        match = [g for g in groups if g["id"] == name] or \
            [g for g in groups if g["name"] == name]
        if not match:
            raise errors.SecurityGroupNotFound(security_group_id=name, project_id=project_id)
        if len(match) > 1:
            raise errors.SecurityGroupConflict(
                "Multiple security_group matches found for name '%s', use an ID to be more "
                "specific." % name)
        return match[0]

    def _set_port_groups(self, port_id: str, group_ids: list[str]) -> None:
        try:
            self._call("PUT", "/ports/" + port_id, {"port": {"security_groups": group_ids}})
        except _Failed as e:
            if e.status == 400:
                raise errors.SecurityGroupCannotBeApplied(e.message) from None
            if e.status == 409:
                raise errors.SecurityGroupConflict(e.message) from None
            raise errors.NetworkServiceError(reason="updating port %s: %s" % (
                port_id, e.message)) from None

    def add_security_group(self, ctxt, instance, name: str) -> None:
        """Nova's add_to_instance: the group (the server's project's, by name or id) on
        every port of the server."""
        group = self._find_group(instance.project_id, name)
        ports = self._server_ports(instance)
        if not ports:
            raise errors.InstanceHasNoPorts(instance_uuid=instance.uuid)
        lacking = [p for p in ports if group["id"] not in (p.get("security_groups") or ())]
        if not lacking:
            raise errors.SecurityGroupExistsForInstance(security_group_id=name,
                                                        instance_id=instance.uuid)
        for port in lacking:  # Nova's _has_security_group_requirements, before any change
            if not port.get("port_security_enabled", True) or not port.get("fixed_ips"):
                raise errors.SecurityGroupCannotBeApplied()
        for port in lacking:
            self._set_port_groups(port["id"], list(port.get("security_groups") or ()) +
                                  [group["id"]])

    def remove_security_group(self, ctxt, instance, name: str) -> None:
        """Nova's remove_from_instance: the group off every port of the server holding it."""
        group = self._find_group(instance.project_id, name)
        ports = self._server_ports(instance)
        if not ports:
            raise errors.InstanceHasNoPorts(instance_uuid=instance.uuid)
        holding = [p for p in ports if group["id"] in (p.get("security_groups") or ())]
        if not holding:
            raise errors.SecurityGroupNotAssociated(security_group_id=name,
                                                    instance_id=instance.uuid)
        for port in holding:
            self._set_port_groups(port["id"], [g for g in port["security_groups"]
                                               if g != group["id"]])

    def instance_security_groups(self, ctxt, instance) -> list[dict]:
        """GET /servers/{id}/os-security-groups: the groups of the server's ports in Nova's
        shape (ingress rules only, in Nova's legacy rule format), by project and name."""
        ports = self._server_ports(instance)
        ids = sorted({g for p in ports for g in p.get("security_groups") or ()})
        if not ids:
            return []
        groups = self._action_call("GET", "/security-groups", id=ids)["security_groups"]
        known = {g["id"]: g for g in groups}
        remote = sorted({r["remote_group_id"] for g in groups
                         for r in g.get("security_group_rules") or ()
                         if r.get("remote_group_id")} - set(known))
        if remote:
            known.update({g["id"]: g for g in self._action_call(
                "GET", "/security-groups", id=remote,
                fields=["id", "name", "project_id"])["security_groups"]})
        out = [{"id": g["id"], "name": g["name"], "description": g.get("description", ""),
                "tenant_id": g["project_id"],
                "rules": [rule for rule in (_nova_rule(r, known) for r in
                                            g.get("security_group_rules") or ()
                                            if r["direction"] == "ingress") if rule]}
               for g in groups]
        return sorted(out, key=lambda g: (g["tenant_id"], g["name"]))

    @staticmethod
    def server_security_groups(instance) -> list[dict]:
        """The server view's security_groups: the names saved on its VIFs (one entry per
        port's group, as Nova lists them), no call to the network service."""
        return [{"name": name} for vif in instance.network_info or ()
                for name in vif.get("security_groups") or ()]

    def _group_names(self, ports, known=()) -> dict[str, str]:
        """The names of the ports' security groups, in one list call (a group without a
        name is shown by its id, as Nova does)."""
        ids = sorted({g for p in ports for g in p.get("security_groups") or ()} - set(known))
        if not ids:
            return {}
        found = self._get("/security-groups", id=ids, fields=["id", "name"])
        return {g["id"]: g.get("name") or g["id"] for g in found["security_groups"]}

    def _floating_ip_by_address(self, project_id: str, address: str) -> dict:
        fips = self._action_call("GET", "/floatingips", floating_ip_address=address,
                                 project_id=project_id)["floatingips"]
        if not fips:
            raise errors.FloatingIpNotFoundForAddress(address=address)
        if len(fips) > 1:
            raise errors.FloatingIpMultipleFoundForAddress(address=address)
        return fips[0]

    def add_fixed_ip(self, ctxt, instance, network_id: str) -> None:
        """Nova's add_fixed_ip_to_instance: one more address, from a subnet of the network,
        on the server's port there."""
        ports = [p for p in self._server_ports(instance) if p["network_id"] == network_id]
        if not ports:
            raise errors.NetworkNotFoundForInstance(instance_id=instance.uuid)
        subnets = self._action_call("GET", "/subnets", network_id=network_id,
                                    fields="id")["subnets"]
        for port in ports:
            for subnet in subnets:
                fixed = port["fixed_ips"] + [{"subnet_id": subnet["id"]}]
                try:
                    self._call("PUT", "/ports/" + port["id"],
                               {"port": {"fixed_ips": fixed}})
                    return
                except _Failed as e:
                    LOG.info("No address of subnet %s for port %s: %s", subnet["id"],
                             port["id"], e.message)
        raise errors.NoMoreFixedIps(net=network_id)

    def remove_fixed_ip(self, ctxt, instance, address: str) -> None:
        """Nova's remove_fixed_ip_from_instance: the address off the port that has it."""
        for port in self._server_ports(instance):
            kept = [f for f in port["fixed_ips"] if f["ip_address"] != address]
            if len(kept) != len(port["fixed_ips"]):
                self._action_call("PUT", "/ports/" + port["id"],
                                  {"port": {"fixed_ips": kept}})
                return
        raise errors.FixedIpNotFoundForInstance(instance_uuid=instance.uuid, ip=address)

    def associate_floating_ip(self, ctxt, instance, address: str, fixed_address: str
                              ) -> None:
        """Nova's associate_floating_ip: the floating IP (the server's project's) on the
        server's port holding fixed_address; Nova's API answers its failures."""
        ports = self._server_ports(instance)
        port = next((p for p in ports for f in p.get("fixed_ips") or ()
                     if f["ip_address"] == fixed_address), None)
        if port is None:
            raise errors.FloatingIpAssociateFailed(_unable(
                address, fixed_address, instance,
                "Fixed IP not found for address %s." % fixed_address))
        try:
            fip = self._floating_ip_by_address(instance.project_id, address)
        except errors.FloatingIpNotFoundForAddress:
            raise errors.FloatingIpNotFoundForAddress("floating IP not found") from None
        try:
            self._call("PUT", "/floatingips/" + fip["id"], {"floatingip": {
                "port_id": port["id"], "fixed_ip_address": fixed_address}})
        except _Failed as e:
            if e.status == 409:
                raise errors.FloatingIpAssociateFailed(e.message) from None
            if e.status == 403:
                raise errors.NetworkForbidden(reason=e.message) from None
            raise errors.FloatingIpAssociateFailed(_unable(
                address, fixed_address, instance, e.message)) from None

    def disassociate_floating_ip(self, ctxt, instance, address: str) -> None:
        """Nova's removeFloatingIp: the floating IP must be on one of the server's ports
        (409 otherwise); its port_id becomes null."""
        fip = self._floating_ip_by_address(instance.project_id, address)
        owner = None
        if fip.get("port_id"):
            owner = (fip.get("port_details") or {}).get("device_id")
            if owner is None:
                try:
                    owner = self._port(fip["port_id"]).get("device_id")
                except errors.PortNotFound:
                    owner = None
        if owner != instance.uuid:
            raise errors.FloatingIpNotAssociated(address=address, instance_id=instance.uuid)
        try:
            self._call("PUT", "/floatingips/" + fip["id"], {"floatingip": {"port_id": None}})
        except _Failed as e:
            if e.status == 403:
                raise errors.NetworkForbidden(reason=e.message) from None
            raise errors.NetworkServiceError(reason="disassociating floating IP %s: %s" % (
                address, e.message)) from None


def _unable(address, fixed_address, instance, error) -> str:
    return ("Unable to associate floating IP %s to fixed IP %s for instance %s. Error: %s"
            % (address, fixed_address, instance.uuid, error))


def _nova_rule(rule: dict, groups: dict) -> dict | None:
    """A Neutron rule in Nova's legacy shape (security_group_api's conversion and the API's
    formatting); a rule whose remote group is gone is left out, as Nova does."""
    protocol = rule.get("protocol")
    low, high = rule.get("port_range_min"), rule.get("port_range_max")
    if protocol and low is None and high is None:
        low, high = (1, 65535) if str(protocol).upper() in ("TCP", "UDP") else (-1, -1)
    out = {"id": rule["id"], "parent_group_id": rule["security_group_id"],
           "ip_protocol": protocol, "from_port": low, "to_port": high, "group": {},
           "ip_range": {}}
    if rule.get("remote_group_id"):
        source = groups.get(rule["remote_group_id"])
        if source is None:
            return None
        out["group"] = {"name": source.get("name"), "tenant_id": source.get("project_id")}
    else:
        out["ip_range"] = {"cidr": rule.get("remote_ip_prefix") or "0.0.0.0/0"}
    return out
