"""Network quotas (/v2.0/quotas): each project's limits ([network_quotas] unless set for
it), what it uses, and the check each create makes under the project's lock, so that two
creates at once cannot both take the last unit."""

from __future__ import annotations

from novalite.conf.network_quotas import DEFAULTS
from novalite.networking import authz, exceptions
from novalite.networking.db import quotas as db_quotas

RESOURCES = tuple(DEFAULTS)


class Quotas:
    def __init__(self, database, conf=None):
        self.database = database
        self.conf = conf

    def defaults(self) -> dict[str, int]:
        if self.conf is None:
            return dict(DEFAULTS)
        return {name: getattr(self.conf.network_quotas, name) for name in RESOURCES}

    def _limits(self, conn, project_id) -> dict[str, int]:
        return {**self.defaults(), **db_quotas.limits(conn, project_id)}

    def check(self, conn, project_id: str, resource: str, count: int = 1) -> None:
        """Raise OverQuota when the project cannot have `count` more of `resource`."""
        if not project_id:
            return  # the service's own ports (router gateways, floating IPs)
        limit = self._limits(conn, project_id)[resource]
        if limit < 0:
            return
        db_quotas.lock(self.database, conn, project_id)
        if db_quotas.used(conn, project_id, resource) + count > limit:
            raise exceptions.OverQuota(overs=[resource])

    def show(self, ctxt, project_id: str) -> dict:
        authz.authorize(ctxt, "get_quota", {"project_id": project_id})
        with self.database.reader() as conn:
            return self._limits(conn, project_id)

    def details(self, ctxt, project_id: str) -> dict:
        authz.authorize(ctxt, "get_quota", {"project_id": project_id})
        with self.database.reader() as conn:
            limits = self._limits(conn, project_id)
            return {name: {"limit": limit, "used": db_quotas.used(conn, project_id, name),
                           "reserved": 0} for name, limit in limits.items()}

    def list(self, ctxt) -> list[dict]:
        authz.authorize(ctxt, "get_quota", {"project_id": None})  # administrators
        with self.database.reader() as conn:
            projects = db_quotas.projects_with_limits(conn)
        return [{**self.defaults(), **limits, "project_id": project, "tenant_id": project}
                for project, limits in sorted(projects.items())]

    def update(self, ctxt, project_id: str, values: dict) -> dict:
        authz.authorize(ctxt, "update_quota", {"project_id": project_id})
        unknown = sorted(set(values) - set(RESOURCES))
        if unknown:
            raise exceptions.HTTPBadRequest(message="Unrecognized attribute(s) '%s'"
                                            % ", ".join(unknown))
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < -1:
                raise exceptions.InvalidInput(error_message=(
                    "Invalid input for %s. Reason: '%s' is not an integer -1 or greater"
                    % (name, value)))
        with self.database.writer() as conn:
            db_quotas.set_limits(conn, project_id, values)
            return self._limits(conn, project_id)

    def reset(self, ctxt, project_id: str) -> None:
        authz.authorize(ctxt, "delete_quota", {"project_id": project_id})
        with self.database.writer() as conn:
            db_quotas.delete_limits(conn, project_id)
