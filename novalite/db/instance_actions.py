"""Instance actions (os-instance-actions): what was done to a server, and each step's result."""

import traceback as traceback_

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import instance_actions, instance_actions_events
from novalite.objects.base import utcnow
from novalite.objects.instance_action import InstanceAction, InstanceActionEvent


def start(database, context, instance_uuid: str, action: str, finished: bool = False,
          conn=None) -> None:
    """Record an action; `finished` for one done in the API itself (as Nova's resetState),
    which has no events to close it."""
    now = utcnow()
    with database.writer(conn) as conn:
        conn.execute(instance_actions.insert().values(
            instance_uuid=instance_uuid, action=action, request_id=context.request_id,
            user_id=context.user_id, project_id=context.project_id, start_time=now,
            finish_time=now if finished else None, updated_at=now))


def start_many(database, context, instance_uuids: list[str], action: str) -> None:
    now = utcnow()
    if not instance_uuids:
        return
    with database.writer() as conn:
        conn.execute(instance_actions.insert(), [
            {"instance_uuid": u, "action": action, "request_id": context.request_id,
             "user_id": context.user_id, "project_id": context.project_id,
             "start_time": now, "updated_at": now} for u in instance_uuids])


# Built once: events are written several times per build.
_ACTION_ID = (sa.select(instance_actions.c.id)
              .where(instance_actions.c.instance_uuid == sa.bindparam("instance_uuid"),
                     instance_actions.c.request_id == sa.bindparam("request_id"))
              .order_by(instance_actions.c.id.desc()).limit(1))
_EVENT_INSERT = instance_actions_events.insert()
_TOUCH = (instance_actions.update().where(instance_actions.c.id == sa.bindparam("_id"))
          .values(updated_at=sa.bindparam("updated_at")))


def _action_id(conn, instance_uuid, request_id):
    return conn.execute(_ACTION_ID, {"instance_uuid": instance_uuid,
                                     "request_id": request_id}).scalar()


def event_start(database, context, instance_uuid: str, event: str, host: str | None) -> None:
    now = utcnow()
    with database.writer() as conn:
        action_id = _action_id(conn, instance_uuid, context.request_id)
        if action_id is None:
            return
        conn.execute(_EVENT_INSERT, {"action_id": action_id, "event": event,
                                     "start_time": now, "host": host})
        conn.execute(_TOUCH, {"_id": action_id, "updated_at": now})


def event_finish(database, context, instance_uuid: str, event: str, result: str,
                 traceback: str | None = None, details: str | None = None, conn=None) -> None:
    now = utcnow()
    with database.writer(conn) as conn:
        action_id = _action_id(conn, instance_uuid, context.request_id)
        if action_id is None:
            return
        conn.execute(instance_actions_events.update()
                     .where(instance_actions_events.c.action_id == action_id,
                            instance_actions_events.c.event == event,
                            instance_actions_events.c.finish_time.is_(None))
                     .values(finish_time=now, result=result, traceback=traceback,
                             details=details))
        values = {"updated_at": now}
        if result == "Error":
            values["message"] = "Error"
        conn.execute(instance_actions.update().where(instance_actions.c.id == action_id)
                     .values(**values))


def event_fail(database, context, instance_uuid: str, event: str, error, conn=None) -> None:
    """Close an event as failed. Its details are the failure's message (the instance
    fault's, shown from 2.84); an exception's traceback is kept for administrators."""
    trace = str(error)
    if isinstance(error, BaseException) and error.__traceback__ is not None:
        trace = "".join(traceback_.format_exception(type(error), error, error.__traceback__))
    event_finish(database, context, instance_uuid, event, "Error", traceback=trace,
                 details=getattr(error, "message", None) or str(error), conn=conn)


def list_(database, instance_uuid: str) -> list[InstanceAction]:
    with database.reader() as conn:
        rows = conn.execute(sa.select(instance_actions)
                            .where(instance_actions.c.instance_uuid == instance_uuid)
                            .order_by(instance_actions.c.start_time.desc(),
                                      instance_actions.c.id.desc())).all()
    return [_from_row(r) for r in rows]


def get(database, instance_uuid: str, request_id: str) -> InstanceAction:
    with database.reader() as conn:
        row = conn.execute(sa.select(instance_actions)
                           .where(instance_actions.c.instance_uuid == instance_uuid,
                                  instance_actions.c.request_id == request_id)).first()
        if row is None:
            raise exception.InstanceActionNotFound(request_id=request_id,
                                                   instance_uuid=instance_uuid)
        action = _from_row(row)
        events = conn.execute(sa.select(instance_actions_events)
                              .where(instance_actions_events.c.action_id == row.id)
                              .order_by(instance_actions_events.c.id)).all()
    action.events = [InstanceActionEvent(event=e.event, start_time=e.start_time,
                                         finish_time=e.finish_time, result=e.result,
                                         traceback=e.traceback, host=e.host,
                                         details=e.details) for e in events]
    return action


def _from_row(row) -> InstanceAction:
    return InstanceAction(id=row.id, action=row.action, instance_uuid=row.instance_uuid,
                          request_id=row.request_id, user_id=row.user_id,
                          project_id=row.project_id, start_time=row.start_time,
                          updated_at=row.updated_at, message=row.message)
