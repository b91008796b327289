"""The hosts' agent rows: one per (agent type, host), its heartbeat refreshed by each
report (an insert the first time, with the unique key deciding a race)."""

import uuid

import sqlalchemy as sa

from novalite.networking import exceptions
from novalite.networking.db import query as db_query
from novalite.networking.db.models import agents


def report(conn, state: dict, now, start: bool) -> None:
    key = (agents.c.agent_type == state["agent_type"]) & (agents.c.host == state["host"])
    values = {"binary": state["binary"], "topic": state["topic"],
              "availability_zone": state.get("availability_zone"),
              "configurations": state.get("configurations") or {},
              "heartbeat_timestamp": now}
    if start:
        values["started_at"] = now
    if conn.execute(agents.update().where(key).values(**values)).rowcount:
        return
    conn.execute(agents.insert().values(
        id=str(uuid.uuid4()), agent_type=state["agent_type"], host=state["host"],
        admin_state_up=True, description="", created_at=now, started_at=now, **{
            k: v for k, v in values.items() if k != "started_at"}))


def get(conn, agent_id: str):
    row = conn.execute(sa.select(agents).where(agents.c.id == agent_id)).first()
    if row is None:
        raise exceptions.AgentNotFound(id=agent_id)
    return row


def on_host(conn, host: str) -> list:
    return conn.execute(sa.select(agents).where(agents.c.host == host)).all()


def list_(conn, filters, sorts, limit, marker):
    marker_row = get(conn, marker) if marker else None
    return conn.execute(db_query.apply(sa.select(agents), agents, filters, sorts, limit,
                                       marker_row)).all()


def update(conn, agent_id: str, values: dict) -> None:
    conn.execute(agents.update().where(agents.c.id == agent_id).values(**values))


def delete(conn, agent_id: str) -> None:
    conn.execute(agents.delete().where(agents.c.id == agent_id))
