"""The hosts' agents, as Neutron's agents extension shows them (administrators only): what
each reported last, and whether it is alive (a report within [network_api]
agent_down_time). A port is bound to a host only where an agent is alive and up (else its
binding:vif_type is binding_failed, as ML2 answers, and Nova builds elsewhere)."""

import datetime

from novalite.networking import authz, exceptions
from novalite.networking.db import agents as db_agents
from novalite.objects.base import utcnow


class Agents:
    def __init__(self, database, down_time: int = 75):
        self.database = database
        self.down_time = datetime.timedelta(seconds=down_time)

    def _alive(self, row, now) -> bool:
        return now - _naive(row.heartbeat_timestamp) <= self.down_time

    def _view(self, row, now) -> dict:
        return {"id": row.id, "agent_type": row.agent_type, "binary": row.binary,
                "topic": row.topic, "host": row.host, "admin_state_up": row.admin_state_up,
                "availability_zone": row.availability_zone, "description": row.description,
                "configurations": row.configurations, "alive": self._alive(row, now),
                "created_at": _stamp(row.created_at), "started_at": _stamp(row.started_at),
                "heartbeat_timestamp": _stamp(row.heartbeat_timestamp),
                "resources_synced": None}

    # -- what agents report -----------------------------------------------------------------

    def report(self, state: dict, start: bool) -> None:
        with self.database.writer() as conn:
            db_agents.report(conn, state, utcnow(), start)

    def vif_type(self, conn, host: str) -> str:
        """The VIF type a port bound to host gets: its live agent's, else binding_failed."""
        now = utcnow()
        for row in db_agents.on_host(conn, host):
            if row.admin_state_up and self._alive(row, now):
                return row.configurations.get("vif_type", "ovs")
        return "binding_failed"

    # -- the API ----------------------------------------------------------------------------

    def _check(self, ctxt, rule: str, agent_id: str | None = None) -> None:
        if not authz.allowed(ctxt, rule, {"project_id": ctxt.project_id}):
            if agent_id is None:
                raise exceptions.PolicyNotAuthorized(action=rule)
            raise exceptions.AgentNotFound(id=agent_id)  # hidden, as Neutron hides it

    def list(self, ctxt, filters, sorts, limit, marker) -> list[dict]:
        if not authz.allowed(ctxt, "get_agent", {"project_id": ctxt.project_id}):
            return []
        now = utcnow()
        with self.database.reader() as conn:
            rows = db_agents.list_(conn, filters, sorts, limit, marker)
        return [self._view(r, now) for r in rows]

    def get(self, ctxt, agent_id: str) -> dict:
        self._check(ctxt, "get_agent", agent_id)
        with self.database.reader() as conn:
            return self._view(db_agents.get(conn, agent_id), utcnow())

    def update(self, ctxt, agent_id: str, body: dict, if_match=None) -> dict:
        self._check(ctxt, "update_agent", agent_id)
        values = {k: body[k] for k in ("admin_state_up", "description") if k in body}
        with self.database.writer() as conn:
            db_agents.get(conn, agent_id)
            if values:
                db_agents.update(conn, agent_id, values)
            return self._view(db_agents.get(conn, agent_id), utcnow())

    def delete(self, ctxt, agent_id: str) -> None:
        self._check(ctxt, "delete_agent", agent_id)
        with self.database.writer() as conn:
            db_agents.get(conn, agent_id)
            db_agents.delete(conn, agent_id)


def _naive(value):
    return value.replace(tzinfo=None) if value.tzinfo else value


def _stamp(value) -> str:
    return _naive(value).strftime("%Y-%m-%d %H:%M:%S")
