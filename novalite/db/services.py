import uuid as uuidlib

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import services
from novalite.objects.base import utcnow
from novalite.objects.host import Service

_FIELDS = ("id", "uuid", "host", "binary", "topic", "disabled", "disabled_reason",
           "forced_down", "report_count", "last_seen_up", "created_at", "updated_at")


def _from_row(row) -> Service:
    m = row._mapping
    values = {k: m[k] for k in _FIELDS}
    values["disabled"] = bool(values["disabled"])
    values["forced_down"] = bool(values["forced_down"])
    return Service(**values)


def get_or_create(database, host: str, binary: str, topic: str) -> Service:
    now = utcnow()
    with database.writer() as conn:
        row = conn.execute(sa.select(services).where(services.c.host == host,
                                                     services.c.binary == binary)).first()
        if row is None:
            conn.execute(services.insert().values(
                uuid=str(uuidlib.uuid4()), host=host, binary=binary, topic=topic,
                disabled=False, forced_down=False, report_count=0, last_seen_up=now,
                created_at=now, updated_at=now))
            row = conn.execute(sa.select(services).where(services.c.host == host,
                                                         services.c.binary == binary)).first()
    return _from_row(row)


def heartbeat(database, service_id: int) -> None:
    now = utcnow()
    with database.writer() as conn:
        conn.execute(services.update().where(services.c.id == service_id).values(
            report_count=services.c.report_count + 1, last_seen_up=now, updated_at=now))


def list_(database, host: str | None = None, binary: str | None = None) -> list[Service]:
    query = sa.select(services).order_by(services.c.id)
    if host is not None:
        query = query.where(services.c.host == host)
    if binary is not None:
        query = query.where(services.c.binary == binary)
    with database.reader() as conn:
        return [_from_row(r) for r in conn.execute(query)]


def get_by_uuid(database, service_uuid: str) -> Service:
    with database.reader() as conn:
        row = conn.execute(sa.select(services).where(services.c.uuid == service_uuid)).first()
    if row is None:
        raise exception.ServiceNotFound(service_id=service_uuid)
    return _from_row(row)


def update(database, service_uuid: str, values: dict) -> None:
    with database.writer() as conn:
        result = conn.execute(services.update().where(services.c.uuid == service_uuid)
                              .values(updated_at=utcnow(), **values))
    if result.rowcount == 0:
        raise exception.ServiceNotFound(service_id=service_uuid)
