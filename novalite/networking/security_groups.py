"""Security groups and their rules. Each project gets its `default` group the first time
it needs one (listing groups, or making a port), with Neutron's default rules: all egress,
and ingress from members of the same group. A group a port uses cannot be deleted, nor a
project's default group by its own members.

What the hosts' agents enforce comes from here too (info_for_ports, Neutron's
security_group_info_for_devices), and when a group's rules or members change the agents
of the hosts with affected ports are told (rules_changed, members_changed: Neutron's
security_groups_rule_updated and security_groups_member_updated casts)."""

from __future__ import annotations

import uuid

import netaddr

from novalite.networking import authz, exceptions, views
from novalite.networking.db import ports as db_ports
from novalite.networking.db import security_groups as db_groups
from novalite.networking.networks import check_revision
from novalite.objects.base import utcnow

# Protocol names Neutron takes, and their numbers (a rule may give either).
PROTOCOLS = {"ah": 51, "dccp": 33, "egp": 8, "esp": 50, "gre": 47, "hopopt": 0, "icmp": 1,
             "icmpv6": 58, "igmp": 2, "ipip": 4, "ipv6-encap": 41, "ipv6-frag": 44,
             "ipv6-icmp": 58, "ipv6-nonxt": 59, "ipv6-opts": 60, "ipv6-route": 43,
             "ospf": 89, "pgm": 113, "rsvp": 46, "sctp": 132, "tcp": 6, "udp": 17,
             "udplite": 136, "vrrp": 112}
_PORT_PROTOCOLS = {"tcp", "udp", "sctp", "dccp", "udplite", "6", "17", "132", "33", "136"}
_ICMP = {"icmp", "icmpv6", "ipv6-icmp", "1", "58"}
_RULE_KEYS = ("direction", "ethertype", "protocol", "port_range_min", "port_range_max",
              "remote_ip_prefix", "remote_group_id")


class SecurityGroups:
    def __init__(self, database, quotas, agents=None):
        """agents: the rpc.AgentNotifier (None: no agents to tell)."""
        self.database = database
        self.quotas = quotas
        self.agents = agents

    # -- groups -----------------------------------------------------------------------------

    def ensure_default(self, conn, project_id: str) -> str:
        """The project's default group, made (with its rules) if it has none."""
        existing = db_groups.default_of(conn, project_id)
        if existing:
            return existing
        return db_groups.create_default(conn, project_id, lambda conn: self._make(
            conn, project_id, "default", "Default security group", default=True))

    def _make(self, conn, project_id, name, description, default=False, stateful=True):
        now = utcnow()
        group_id = str(uuid.uuid4())
        db_groups.create(conn, {"id": group_id, "project_id": project_id, "name": name,
                                "description": description, "stateful": stateful,
                                "created_at": now, "updated_at": now, "revision_number": 1})
        for ethertype in ("IPv4", "IPv6"):
            self._rule(conn, project_id, group_id, {"direction": "egress",
                                                    "ethertype": ethertype}, now)
            if default:
                self._rule(conn, project_id, group_id, {
                    "direction": "ingress", "ethertype": ethertype,
                    "remote_group_id": group_id}, now)
        return group_id

    @staticmethod
    def _rule(conn, project_id, group_id, values, now, description=""):
        rule_id = str(uuid.uuid4())
        db_groups.create_rule(conn, {
            "id": rule_id, "security_group_id": group_id, "project_id": project_id,
            "direction": values["direction"], "ethertype": values["ethertype"],
            "protocol": values.get("protocol"), "port_range_min": values.get("port_range_min"),
            "port_range_max": values.get("port_range_max"),
            "remote_ip_prefix": values.get("remote_ip_prefix"),
            "remote_group_id": values.get("remote_group_id"), "description": description,
            "created_at": now, "updated_at": now, "revision_number": 1})
        return rule_id

    def _views(self, conn, rows) -> list[dict]:
        ids = [r.id for r in rows]
        rules = db_groups.rules_of(conn, ids)
        defaults = db_groups.default_ids(conn, ids)
        return [views.security_group(r, [views.security_group_rule(x, r.id in defaults)
                                         for x in rules[r.id]]) for r in rows]

    def create(self, ctxt, body: dict) -> dict:
        project_id = body.get("project_id") or body.get("tenant_id") or ctxt.project_id
        authz.authorize(ctxt, "create_security_group", {"project_id": project_id})
        if body.get("name") == "default":
            raise exceptions.SecurityGroupDefaultAlreadyExists()
        with self.database.writer() as conn:
            self.ensure_default(conn, project_id)
            self.quotas.check(conn, project_id, "security_group")
            group_id = self._make(conn, project_id, body.get("name", ""),
                                  body.get("description", ""),
                                  stateful=body.get("stateful", True))
            return self._views(conn, [db_groups.get(conn, group_id)])[0]

    def _visible(self, ctxt, conn, group_id):
        row = db_groups.get(conn, group_id)
        if not authz.allowed(ctxt, "get_security_group", {"project_id": row.project_id}):
            raise exceptions.SecurityGroupNotFound(id=group_id)
        return row

    def get(self, ctxt, group_id: str) -> dict:
        with self.database.reader() as conn:
            return self._views(conn, [self._visible(ctxt, conn, group_id)])[0]

    def list(self, ctxt, filters, sorts, limit, marker) -> list[dict]:
        visible_to = None if ctxt.is_admin else ctxt.project_id
        # As Neutron: the project filtered on (else the caller's) gets its default group,
        # so a service listing a project's groups sees it too.
        asked = (filters or {}).get("project_id") or (filters or {}).get("tenant_id") or ()
        project_id = asked[0] if len(asked) == 1 else ctxt.project_id
        if project_id and authz.allowed(ctxt, "create_security_group",
                                        {"project_id": project_id}):
            with self.database.writer() as conn:  # a first look makes the default group
                self.ensure_default(conn, project_id)
        with self.database.reader() as conn:
            rows = db_groups.list_(conn, visible_to, filters, sorts, limit, marker)
            return self._views(conn, rows)

    def update(self, ctxt, group_id: str, body: dict, if_match=None) -> dict:
        with self.database.writer() as conn:
            row = self._visible(ctxt, conn, group_id)
            authz.authorize(ctxt, "update_security_group", {"project_id": row.project_id})
            check_revision(row, if_match)
            if row.name == "default" and body.get("name", "default") != "default":
                raise exceptions.SecurityGroupCannotUpdateDefault()
            if row.name != "default" and body.get("name") == "default":
                raise exceptions.SecurityGroupDefaultAlreadyExists()
            values = {k: body[k] for k in ("name", "description", "stateful") if k in body}
            db_groups.update(conn, group_id, {**values, "updated_at": utcnow()})
            return self._views(conn, [db_groups.get(conn, group_id)])[0]

    def delete(self, ctxt, group_id: str) -> None:
        with self.database.writer() as conn:
            row = self._visible(ctxt, conn, group_id)
            authz.authorize(ctxt, "delete_security_group", {"project_id": row.project_id})
            if db_groups.default_of(conn, row.project_id) == group_id and not ctxt.is_admin:
                raise exceptions.SecurityGroupCannotRemoveDefault()
            if db_groups.in_use(conn, group_id):
                raise exceptions.SecurityGroupInUse(id=group_id)
            naming = db_groups.referencing(conn, [group_id]) - {group_id}
            db_groups.delete(conn, group_id)  # with the rules naming it as remote group
        self.rules_changed(ctxt, naming)

    def for_port(self, ctxt, conn, project_id: str, asked) -> list[str]:
        """The groups a new port gets: those asked for (the project's, or visible to the
        caller), else the project's default."""
        if asked is None:
            return [self.ensure_default(conn, project_id)]
        found = []
        for group_id in dict.fromkeys(asked):
            row = self._visible(ctxt, conn, group_id)
            if row.project_id != project_id and not ctxt.is_admin:
                raise exceptions.SecurityGroupNotFound(id=group_id)
            found.append(row.id)
        return found

    # -- rules ------------------------------------------------------------------------------

    def create_rule(self, ctxt, body: dict) -> dict:
        with self.database.writer() as conn:
            group = self._visible(ctxt, conn, body["security_group_id"])
            authz.authorize(ctxt, "create_security_group_rule",
                            {"project_id": group.project_id})
            self.quotas.check(conn, group.project_id, "security_group_rule")
            values = self._checked_rule(ctxt, conn, body)
            for existing in db_groups.rules_of(conn, [group.id])[group.id]:
                if all(_compared(k, getattr(existing, k)) == _compared(k, values.get(k))
                       for k in _RULE_KEYS):
                    raise exceptions.SecurityGroupRuleExists(rule_id=existing.id)
            rule_id = self._rule(conn, group.project_id, group.id, values, utcnow(),
                                 body.get("description", ""))
            db_groups.update(conn, group.id, {"updated_at": utcnow()})
            is_default = db_groups.default_of(conn, group.project_id) == group.id
            view = views.security_group_rule(db_groups.get_rule(conn, rule_id), is_default)
        self.rules_changed(ctxt, [group.id])
        return view

    def _checked_rule(self, ctxt, conn, body) -> dict:
        values = {k: body.get(k) for k in _RULE_KEYS}
        values["ethertype"] = values["ethertype"] or "IPv4"
        protocol = values["protocol"]
        if protocol is not None:
            protocol = str(protocol).lower()
            if protocol in ("any", ""):
                protocol = None  # every protocol, as no protocol at all
            elif protocol not in PROTOCOLS and not (protocol.isdigit() and
                                                    0 <= int(protocol) <= 255):
                raise exceptions.SecurityGroupRuleInvalidProtocol(
                    protocol=protocol, values=sorted(PROTOCOLS))
            values["protocol"] = protocol
        low, high = values["port_range_min"], values["port_range_max"]
        for port in (low, high):
            if port is not None and not 0 <= port <= 65535:
                raise exceptions.SecurityGroupInvalidPortValue(port=port)
        if (low is not None or high is not None) and protocol is None:
            raise exceptions.SecurityGroupInvalidPortRange(
                message="Must also specify protocol if port range is given.")
        if protocol in _PORT_PROTOCOLS and (low is not None or high is not None):
            if 0 in (low, high):
                raise exceptions.SecurityGroupInvalidPortValue(port=0)
            if low is None or high is None or low > high:
                raise exceptions.SecurityGroupInvalidPortRange(
                    message="For TCP/UDP protocols, port_range_min must be <= "
                            "port_range_max")
        elif protocol in _ICMP:
            for name, value in (("type", low), ("code", high)):
                if value is not None and not 0 <= value <= 255:
                    raise exceptions.SecurityGroupInvalidPortRange(
                        message="Invalid value for ICMP %s (port-range-%s): %s" % (
                            name, "min" if name == "type" else "max", value))
            if high is not None and low is None:
                raise exceptions.SecurityGroupInvalidPortRange(
                    message="ICMP code (port-range-max) %s is provided but ICMP type "
                            "(port-range-min) is missing." % high)
        if values["remote_ip_prefix"] and values["remote_group_id"]:
            raise exceptions.SecurityGroupRemoteGroupAndRemoteIpPrefix()
        if values["remote_ip_prefix"]:
            try:
                cidr = netaddr.IPNetwork(values["remote_ip_prefix"])
            except (netaddr.AddrFormatError, ValueError):
                raise exceptions.InvalidInput(error_message=(
                    "'%s' is not a valid IP prefix" % values["remote_ip_prefix"])) from None
            if "IPv%d" % cidr.version != values["ethertype"]:
                raise exceptions.SecurityGroupConflictingEthertype(
                    ethertype=values["ethertype"], cidr=values["remote_ip_prefix"])
            # Kept as given (security-groups-normalized-cidr): the rule shows, compares and
            # filters by its normalized_cidr.
            values["remote_ip_prefix"] = str(cidr)
        if values["remote_group_id"]:
            self._visible(ctxt, conn, values["remote_group_id"])
        return values

    def get_rule(self, ctxt, rule_id: str) -> dict:
        with self.database.reader() as conn:
            row = db_groups.get_rule(conn, rule_id)
            try:
                group = self._visible(ctxt, conn, row.security_group_id)
            except exceptions.SecurityGroupNotFound:
                raise exceptions.SecurityGroupRuleNotFound(id=rule_id) from None
            is_default = db_groups.default_of(conn, group.project_id) == group.id
        return views.security_group_rule(row, is_default)

    def list_rules(self, ctxt, filters, sorts, limit, marker) -> list[dict]:
        visible_to = None if ctxt.is_admin else ctxt.project_id
        with self.database.reader() as conn:
            rows = db_groups.list_rules(conn, visible_to, filters, sorts, limit, marker)
            defaults = db_groups.default_ids(conn, list({r.security_group_id for r in rows}))
        return [views.security_group_rule(r, r.security_group_id in defaults) for r in rows]

    def delete_rule(self, ctxt, rule_id: str) -> None:
        with self.database.writer() as conn:
            row = db_groups.get_rule(conn, rule_id)
            try:
                group = self._visible(ctxt, conn, row.security_group_id)
            except exceptions.SecurityGroupNotFound:
                raise exceptions.SecurityGroupRuleNotFound(id=rule_id) from None
            authz.authorize(ctxt, "delete_security_group_rule", {"project_id": group.project_id})
            db_groups.delete_rule(conn, rule_id)
        self.rules_changed(ctxt, [group.id])

    # -- what hosts' agents enforce ---------------------------------------------------------

    def rules_changed(self, ctxt, group_ids) -> None:
        """Tell the agents of the hosts with ports in these groups to apply them again."""
        group_ids = sorted(set(group_ids))
        if self.agents is None or not group_ids:
            return
        with self.database.reader() as conn:
            hosts = db_groups.hosts_of(conn, group_ids)
        self.agents.security_groups_rule_updated(ctxt, hosts, group_ids)

    def members_changed(self, ctxt, group_ids) -> None:
        """These groups' members (or their addresses) changed: tell the agents of the
        hosts with ports in groups whose rules name one of them as remote group."""
        group_ids = sorted(set(group_ids))
        if self.agents is None or not group_ids:
            return
        with self.database.reader() as conn:
            hosts = db_groups.hosts_referencing(conn, group_ids)
        self.agents.security_groups_member_updated(ctxt, hosts, group_ids)

    def info_for_ports(self, port_ids: list[str]) -> dict:
        """What an agent needs to filter these ports' traffic, as Neutron's
        security_group_info_for_devices: each port's addresses and groups, each group's
        rules, and the addresses of the members of every remote group they name."""
        with self.database.reader() as conn:
            rows = [r for r in (db_ports.get_or_none(conn, p) for p in port_ids) if r]
            fixed = db_ports.fixed_ips(conn, [r.id for r in rows])
            groups = db_groups.of_ports(conn, [r.id for r in rows])
            devices = {r.id: {
                "id": r.id, "network_id": r.network_id, "mac_address": r.mac_address,
                "fixed_ips": [ip["ip_address"] for ip in fixed[r.id]],
                "allowed_address_pairs": r.allowed_address_pairs or [],
                "port_security_enabled": r.port_security_enabled,
                "security_groups": groups[r.id]} for r in rows}
            group_ids = sorted({g for d in devices.values() for g in d["security_groups"]})
            rules = db_groups.rules_of(conn, group_ids)
            out_rules = {g: [{k: getattr(x, k) for k in _RULE_KEYS} for x in rules[g]]
                         for g in group_ids}
            remote = sorted({x["remote_group_id"] for rs in out_rules.values() for x in rs
                             if x["remote_group_id"]})
            member_ports = db_groups.members(conn, remote)
            addresses = db_ports.fixed_ips(conn, sorted({
                p for ps in member_ports.values() for p in ps}))
        member_ips = {}
        for group_id, ports_ in member_ports.items():
            ips = [ip["ip_address"] for p in ports_ for ip in addresses[p]]
            member_ips[group_id] = {
                "IPv4": sorted({ip for ip in ips if ":" not in ip}),
                "IPv6": sorted({ip for ip in ips if ":" in ip})}
        return {"devices": devices, "security_groups": out_rules,
                "sg_member_ips": member_ips}


class SecurityGroupRules:
    """The rules as a resource of their own (/v2.0/security-group-rules)."""

    def __init__(self, groups: SecurityGroups):
        self.groups = groups

    def create(self, ctxt, body: dict) -> dict:
        return self.groups.create_rule(ctxt, body)

    def get(self, ctxt, rule_id: str) -> dict:
        return self.groups.get_rule(ctxt, rule_id)

    def list(self, ctxt, filters, sorts, limit, marker) -> list[dict]:
        return self.groups.list_rules(ctxt, filters, sorts, limit, marker)

    def delete(self, ctxt, rule_id: str) -> None:
        self.groups.delete_rule(ctxt, rule_id)


def normalized_cidr(prefix: str | None) -> str | None:
    """10.2.3.124/24 -> 10.2.3.0/24: what a rule's remote_ip_prefix matches."""
    return str(netaddr.IPNetwork(prefix).cidr) if prefix else None


def _compared(key: str, value):
    return normalized_cidr(value) if key == "remote_ip_prefix" else value
