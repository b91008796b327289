"""Networks: who may make, see, change and delete them, and what is left to decide about
each (status ACTIVE, MTU, port security on by default)."""

from __future__ import annotations

import uuid

from novalite.networking import authz, exceptions, views
from novalite.networking.db import networks as db_networks
from novalite.objects.base import utcnow

DEFAULT_MTU = 1500
# Ports the service itself made on a network (a router's, a DHCP server's) do not keep
# the network from being deleted.
SERVICE_OWNERS = ("network:dhcp",)


class Networks:
    def __init__(self, database, quotas):
        self.database = database
        self.quotas = quotas
        # Neutron's BEFORE_DELETE callbacks: fn(conn, network row) in the delete's
        # transaction, returning what to run once it commits (or None).
        self.before_delete = []

    def _view(self, ctxt, row, subnet_ids) -> dict:
        return views.network(row, subnet_ids, authz.allowed(
            ctxt, "get_network:provider", {"project_id": row.project_id}))

    def create(self, ctxt, body: dict, conn=None) -> dict:
        """conn: a write transaction to join (else one of its own)."""
        project_id = body.get("project_id") or body.get("tenant_id") or ctxt.project_id
        target = {"project_id": project_id}
        authz.authorize(ctxt, "create_network", target)
        if project_id != ctxt.project_id:
            authz.authorize(ctxt, "create_network:shared", target)  # admins only
        if body.get("shared"):
            authz.authorize(ctxt, "create_network:shared", target)
        if body.get("router:external"):
            authz.authorize(ctxt, "create_network:router:external", target)
        if body.get("is_default"):
            authz.authorize(ctxt, "create_network:is_default", target)
        provider = {k: body.get("provider:" + k) for k in
                    ("network_type", "physical_network", "segmentation_id")}
        if any(v is not None for v in provider.values()):
            authz.authorize(ctxt, "create_network:provider", target)
        now = utcnow()
        values = {"id": str(uuid.uuid4()), "project_id": project_id,
                  "name": body.get("name", ""), "description": body.get("description", ""),
                  "status": "ACTIVE", "admin_state_up": body.get("admin_state_up", True),
                  "shared": body.get("shared", False),
                  "external": body.get("router:external", False),
                  "mtu": body.get("mtu") or DEFAULT_MTU,
                  "port_security_enabled": body.get("port_security_enabled", True),
                  "network_type": provider["network_type"] or "local",
                  "physical_network": provider["physical_network"],
                  "segmentation_id": provider["segmentation_id"],
                  # Only an external network is the default one, as Neutron's is_default
                  # lives with router:external.
                  "is_default": bool(body.get("is_default") and body.get("router:external")),
                  "created_at": now, "updated_at": now, "revision_number": 1}
        with self.database.writer(conn) as conn:
            self.quotas.check(conn, project_id, "network")
            if values["is_default"]:
                self._check_default(conn, values["id"])
            db_networks.create(conn, values)
            row = db_networks.get(conn, values["id"])
        return self._view(ctxt, row, [])

    def _visible(self, ctxt, conn, network_id: str):
        row = db_networks.get(conn, network_id)
        if not authz.allowed(ctxt, "get_network", {"project_id": row.project_id,
                                                   **authz.network_target(row)}):
            raise exceptions.NetworkNotFound(net_id=network_id)
        return row

    def _check_default(self, conn, network_id: str) -> None:
        """Another default external network is a 409 (Neutron's), checked under a lock so
        that two requests at once cannot both make one."""
        db_networks.lock_default(self.database, conn)
        other = db_networks.default_external(conn, other_than=network_id)
        if other:
            raise exceptions.DefaultExternalNetworkExists(net_id=other)

    def get(self, ctxt, network_id: str) -> dict:
        with self.database.reader() as conn:
            row = self._visible(ctxt, conn, network_id)
            subnets = db_networks.subnet_ids(conn, [row.id])[row.id]
        return self._view(ctxt, row, subnets)

    def get_row(self, ctxt, conn, network_id: str):
        """The network a subnet or port is made on: visible to the caller, or a 404."""
        return self._visible(ctxt, conn, network_id)

    def list(self, ctxt, filters: dict, sorts: list, limit, marker) -> list[dict]:
        visible_to = None if ctxt.is_admin else ctxt.project_id
        with self.database.reader() as conn:
            rows = db_networks.list_(conn, visible_to, filters, sorts, limit, marker)
            subnets = db_networks.subnet_ids(conn, [r.id for r in rows])
        return [self._view(ctxt, r, subnets[r.id]) for r in rows]

    def update(self, ctxt, network_id: str, body: dict, if_match=None) -> dict:
        with self.database.writer() as conn:
            row = self._visible(ctxt, conn, network_id)
            target = {"project_id": row.project_id}
            authz.authorize(ctxt, "update_network", target)
            if "shared" in body and body["shared"] != row.shared:
                authz.authorize(ctxt, "update_network:shared", target)
            if "router:external" in body and body["router:external"] != row.external:
                authz.authorize(ctxt, "update_network:router:external", target)
            if "is_default" in body and body["is_default"] != row.is_default:
                authz.authorize(ctxt, "update_network:is_default", target)
            check_revision(row, if_match)
            values = {key: body[key] for key in
                      ("name", "description", "admin_state_up", "shared", "mtu",
                       "port_security_enabled") if key in body}
            if "router:external" in body:
                values["external"] = body["router:external"]
            if not values.get("external", row.external):
                values["is_default"] = False  # no longer external: no longer the default
            elif "is_default" in body:
                if body["is_default"] and not row.is_default:
                    self._check_default(conn, network_id)
                values["is_default"] = body["is_default"]
            db_networks.update(conn, network_id, {**values, "updated_at": utcnow()})
            row = db_networks.get(conn, network_id)
            subnets = db_networks.subnet_ids(conn, [row.id])[row.id]
        return self._view(ctxt, row, subnets)

    def delete(self, ctxt, network_id: str, conn=None) -> None:
        with self.database.writer(conn) as conn:
            row = self._visible(ctxt, conn, network_id)
            authz.authorize(ctxt, "delete_network", {"project_id": row.project_id})
            after = [callback(conn, row) for callback in self.before_delete]
            if db_networks.has_ports(conn, network_id, except_owners=SERVICE_OWNERS):
                raise exceptions.NetworkInUse(net_id=network_id)
            db_networks.delete(conn, network_id, SERVICE_OWNERS)
        for callback in filter(None, after):
            callback()


def check_revision(row, if_match) -> None:
    """If-Match: revision_number=N (Neutron's revision-if-match): a stale writer loses."""
    if if_match is None:
        return
    expected = if_match.partition("revision_number=")[2].strip()
    if not expected.isdigit():
        raise exceptions.HTTPBadRequest(message="If-Match header must be of the form "
                                                "'revision_number=N'")
    if int(expected) != row.revision_number:
        raise exceptions.RevisionNumberConstraintFailed(expected=expected,
                                                        current=row.revision_number)
