"""Instance queries. A show is one SELECT (plus one for the fault of an instance in ERROR);
a list is one SELECT for the page (plus the marker lookup and one batched fault query)."""

import functools

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import instance_faults, instances
from novalite.objects.base import utcnow
from novalite.objects.flavor import Flavor
from novalite.objects.instance import Instance, InstanceFault

_COLUMNS = [c for c in instances.c if c.name not in ("flavor_id",)]
_SORT_KEYS = {"created_at", "updated_at", "display_name", "uuid", "vm_state", "task_state",
              "host", "node", "launched_at", "terminated_at", "availability_zone", "id",
              "project_id", "user_id", "power_state", "image_ref", "key_name", "hostname",
              "locked", "launch_index", "reservation_id", "display_description"}
_FAULT_STATES = ("error", "deleted")


def _to_row(inst: Instance) -> dict:
    return {
        "uuid": inst.uuid, "project_id": inst.project_id, "user_id": inst.user_id,
        "display_name": inst.display_name, "display_description": inst.display_description,
        "vm_state": inst.vm_state, "task_state": inst.task_state,
        "power_state": inst.power_state, "host": inst.host, "node": inst.node,
        "availability_zone": inst.availability_zone,
        "requested_availability_zone": inst.requested_availability_zone,
        "image_ref": inst.image_ref, "flavor_id": inst.flavor.flavorid,
        "flavor": inst.flavor.to_primitive(), "key_name": inst.key_name,
        "key_data": inst.key_data, "user_data": inst.user_data, "metadata": inst.metadata,
        "tags": inst.tags,
        "network_info": inst.network_info, "requested_networks": inst.requested_networks,
        "security_groups": inst.security_groups,
        "reservation_id": inst.reservation_id, "launch_index": inst.launch_index,
        "hostname": inst.hostname, "config_drive": inst.config_drive,
        "access_ip_v4": inst.access_ip_v4, "access_ip_v6": inst.access_ip_v6,
        "locked": inst.locked, "locked_reason": inst.locked_reason,
        "locked_by": inst.locked_by, "system_metadata": inst.system_metadata,
        "kernel_id": inst.kernel_id, "ramdisk_id": inst.ramdisk_id,
        "root_device_name": inst.root_device_name, "progress": inst.progress,
        "created_at": inst.created_at, "updated_at": inst.updated_at,
        "launched_at": inst.launched_at, "terminated_at": inst.terminated_at,
        "deleted_at": inst.deleted_at, "deleted": 0,
    }


def _from_row(row) -> Instance:
    m = row._mapping
    return Instance(
        id=m["id"], uuid=m["uuid"], project_id=m["project_id"], user_id=m["user_id"],
        display_name=m["display_name"], display_description=m["display_description"],
        vm_state=m["vm_state"], task_state=m["task_state"], power_state=m["power_state"],
        host=m["host"], node=m["node"], availability_zone=m["availability_zone"],
        requested_availability_zone=m["requested_availability_zone"],
        image_ref=m["image_ref"] or "", flavor=Flavor.from_primitive(m["flavor"]),
        key_name=m["key_name"], key_data=m["key_data"], user_data=m["user_data"],
        metadata=m["metadata"] or {}, tags=m["tags"] or [], network_info=m["network_info"] or [],
        requested_networks=m["requested_networks"],
        security_groups=m["security_groups"] or [], reservation_id=m["reservation_id"] or "",
        launch_index=m["launch_index"] or 0, hostname=m["hostname"] or "",
        config_drive=m["config_drive"] or "", access_ip_v4=m["access_ip_v4"],
        access_ip_v6=m["access_ip_v6"], locked=bool(m["locked"]),
        locked_reason=m["locked_reason"], locked_by=m["locked_by"],
        system_metadata=m["system_metadata"] or {}, kernel_id=m["kernel_id"] or "",
        ramdisk_id=m["ramdisk_id"] or "", root_device_name=m["root_device_name"],
        progress=m["progress"] or 0, created_at=m["created_at"], updated_at=m["updated_at"],
        launched_at=m["launched_at"], terminated_at=m["terminated_at"],
        deleted_at=m["deleted_at"], deleted=bool(m["deleted"]),
    )


def create_many(database, new_instances: list[Instance], conn=None) -> list[Instance]:
    """Insert instances (one request's min..max count) in one transaction, or in `conn`'s
    (the quota check's, so that the count it made still holds when the rows land)."""
    now = utcnow()
    with database.writer(conn) as conn:
        for inst in new_instances:
            inst.created_at = inst.updated_at = now
            inst.id = conn.execute(instances.insert(), _to_row(inst)).inserted_primary_key[0]
    return new_instances


def _attach_faults(conn, found: list[Instance]) -> None:
    uuids = [i.uuid for i in found if i.vm_state in _FAULT_STATES]
    if not uuids:
        return
    rows = conn.execute(
        sa.select(instance_faults).where(instance_faults.c.instance_uuid.in_(uuids))
        .order_by(instance_faults.c.id.desc())).all()
    latest = {}
    for row in rows:
        latest.setdefault(row.instance_uuid, row)
    for inst in found:
        row = latest.get(inst.uuid)
        if row is not None:
            inst.fault = InstanceFault(code=row.code, message=row.message, details=row.details,
                                       created_at=row.created_at)


_GET = sa.select(*_COLUMNS).where(instances.c.uuid == sa.bindparam("uuid"))
_GET_LIVE = _GET.where(instances.c.deleted == 0)


def get(database, uuid: str, read_deleted: bool = False) -> Instance:
    with database.reader() as conn:
        row = conn.execute(_GET if read_deleted else _GET_LIVE, {"uuid": uuid}).first()
        if row is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        inst = _from_row(row)
        _attach_faults(conn, [inst])
    return inst


# The latest fault of each instance, joined in: a batch is one statement whatever the states.
_LATEST_FAULT = instance_faults.alias("latest_fault")
_LATEST_FAULT_ID = (sa.select(sa.func.max(instance_faults.c.id))
                    .where(instance_faults.c.instance_uuid == instances.c.uuid)
                    .scalar_subquery())
_FAULT_COLUMNS = [_LATEST_FAULT.c.code.label("fault_code"),
                  _LATEST_FAULT.c.message.label("fault_message"),
                  _LATEST_FAULT.c.details.label("fault_details"),
                  _LATEST_FAULT.c.created_at.label("fault_created_at")]


# Built once: a statement built per call costs more than running it.
_GET_MANY = (sa.select(*_COLUMNS, *_FAULT_COLUMNS)
             .select_from(instances.outerjoin(_LATEST_FAULT, sa.and_(
                 _LATEST_FAULT.c.instance_uuid == instances.c.uuid,
                 instances.c.vm_state.in_(_FAULT_STATES),
                 _LATEST_FAULT.c.id == _LATEST_FAULT_ID)))
             .where(instances.c.uuid.in_(sa.bindparam("uuids", expanding=True)),
                    instances.c.deleted == 0))
_GET_MANY_OF_PROJECT = _GET_MANY.where(instances.c.project_id == sa.bindparam("project_id"))


def get_many(database, uuids: list[str], project_id: str | None = None) -> list[Instance]:
    """The live instances with these uuids, with their latest faults: one statement (an
    IN over the uuids, faults outer-joined), in no particular order."""
    query = _GET_MANY if project_id is None else _GET_MANY_OF_PROJECT
    found = []
    with database.reader() as conn:
        for row in conn.execute(query, {"uuids": list(uuids), "project_id": project_id}):
            inst = _from_row(row)
            if row.fault_code is not None:
                inst.fault = InstanceFault(code=row.fault_code, message=row.fault_message,
                                           details=row.fault_details,
                                           created_at=row.fault_created_at)
            found.append(inst)
    return found


def _apply_filters(query, filters: dict):
    c = instances.c
    if filters.get("changes-since") is not None:
        query = query.where(c.updated_at >= filters["changes-since"])
    elif filters.get("deleted"):
        query = query.where(c.deleted != 0)
    else:
        query = query.where(c.deleted == 0)
    if filters.get("changes-before") is not None:
        query = query.where(c.updated_at <= filters["changes-before"])
    for key, column in (("project_id", c.project_id), ("user_id", c.user_id),
                        ("host", c.host), ("node", c.node), ("image", c.image_ref),
                        ("flavor", c.flavor_id), ("reservation_id", c.reservation_id),
                        ("availability_zone", c.availability_zone),
                        ("key_name", c.key_name)):
        value = filters.get(key)
        if value is not None:
            query = query.where(column == value)
    for key, column in (("vm_state", c.vm_state), ("task_state", c.task_state),
                        ("uuid", c.uuid)):
        values = filters.get(key)
        if values is not None:
            values = list(values)
            clause = column.in_([v for v in values if v is not None])
            if None in values:
                clause = sa.or_(clause, column.is_(None))
            query = query.where(clause)
    if filters.get("name"):
        query = query.where(c.display_name.regexp_match(filters["name"]))
    if filters.get("locked") is not None:
        query = query.where(c.locked == bool(filters["locked"]))
    return query


def _marker_clause(conn, marker: str, sort_keys, sort_dirs):
    columns = [instances.c[k] for k in sort_keys]
    row = conn.execute(sa.select(*columns).where(instances.c.uuid == marker)).first()
    if row is None:
        raise exception.MarkerNotFound(marker=marker)
    # Keyset pagination: rows strictly after the marker in (k1, k2, ...) order.
    ors = []
    for i, (column, direction) in enumerate(zip(columns, sort_dirs, strict=True)):
        value = row[i]
        ands = [columns[j] == row[j] if row[j] is not None else columns[j].is_(None)
                for j in range(i)]
        if value is None:
            if direction == "desc":
                continue  # NULLs sort last in descending order: only ties come after
            ands.append(column.is_not(None))
        else:
            ands.append(sa.or_(column < value, column.is_(None)) if direction == "desc"
                        else column > value)
        ors.append(sa.and_(*ands))
    return sa.or_(*ors) if ors else sa.false()


def list_(database, filters: dict, limit: int | None = None, marker: str | None = None,
          sort_keys=("created_at", "id"), sort_dirs=("desc", "desc"),
          with_faults: bool = True) -> list[Instance]:
    sort_keys, sort_dirs = list(sort_keys), list(sort_dirs)
    for key in sort_keys:
        if key not in _SORT_KEYS:
            raise exception.Invalid("Invalid sort_key %s" % key)
    if "id" not in sort_keys:  # a unique tiebreaker keeps pages stable
        sort_keys.append("id")
        sort_dirs.append(sort_dirs[0] if sort_dirs else "desc")
    query = _apply_filters(sa.select(*_COLUMNS), filters)
    order = []
    for key, direction in zip(sort_keys, sort_dirs, strict=True):
        column = instances.c[key]
        # NULLs sort as the smallest value on every backend (MySQL's and SQLite's habit;
        # PostgreSQL is told so), so keyset paging behaves the same everywhere.
        ordered = column.asc() if direction == "asc" else column.desc()
        if database.url.get_backend_name() == "postgresql":
            ordered = ordered.nulls_first() if direction == "asc" else ordered.nulls_last()
        order.append(ordered)
    query = query.order_by(*order)
    with database.reader() as conn:
        if marker is not None:
            query = query.where(_marker_clause(conn, marker, sort_keys, sort_dirs))
        if limit is not None:
            query = query.limit(limit)
        try:
            found = [_from_row(r) for r in conn.execute(query)]
        except sa.exc.DBAPIError as e:
            if filters.get("name") and _regex_error(e.orig):
                raise exception.Invalid("Invalid name filter %r: %s" % (
                    filters["name"], _regex_error(e.orig))) from None
            raise
        if with_faults:
            _attach_faults(conn, found)
    return found


def _regex_error(error) -> str | None:
    """The database's complaint about a regular expression, if that is what failed: the name
    filter runs in the database's own dialect (PostgreSQL's ARE, MariaDB's PCRE), where a
    pattern Python accepts may still be invalid."""
    if getattr(error, "sqlstate", None) == "2201B":  # PostgreSQL: invalid_regular_expression
        return str(error).splitlines()[0]
    args = getattr(error, "args", ())
    if len(args) == 2 and args[0] == 1139:  # MySQL/MariaDB: ER_REGEXP_ERROR
        return str(args[1])
    return None


def _in_clause(column, name: str, expected: list):
    values = [e for e in expected if e is not None]
    clause = column.in_(sa.bindparam(name, expanding=True)) if values else sa.false()
    return sa.or_(clause, column.is_(None)) if None in expected else clause


@functools.lru_cache(maxsize=256)
def _update_statement(columns: tuple, task_mode, vm_mode):
    """UPDATE statements are built once per shape (columns, expectations) and reused."""
    query = instances.update().where(instances.c.uuid == sa.bindparam("_uuid"),
                                     instances.c.deleted == 0)
    for column, mode in (("task_state", task_mode), ("vm_state", vm_mode)):
        if mode is not None:
            query = query.where(_in_clause(instances.c[column], "_exp_" + column,
                                           [None] if mode == "null" else
                                           ["x", None] if mode == "in_or_null" else ["x"]))
    return query.values({c: sa.bindparam(c) for c in columns})


def _mode(expected):
    if expected is None:
        return None, None
    expected = list(expected) if isinstance(expected, (list, tuple, set)) else [expected]
    values = [e for e in expected if e is not None]
    if not values:
        return "null", values
    return ("in_or_null" if None in expected else "in"), values


def update(database, uuid: str, values: dict, expected_task_state=None,
           expected_vm_state=None, conn=None) -> None:
    """Update one live instance. With expected_*: only if it is still in one of those states
    (a compare-and-swap, as Nova's instance.save(expected_task_state=...))."""
    values = dict(values)
    values.setdefault("updated_at", utcnow())
    if "flavor" in values and isinstance(values["flavor"], Flavor):
        values["flavor"] = values["flavor"].to_primitive()
    task_mode, task_values = _mode(expected_task_state)
    vm_mode, vm_values = _mode(expected_vm_state)
    params = dict(values, _uuid=uuid)
    if task_mode in ("in", "in_or_null"):
        params["_exp_task_state"] = task_values
    if vm_mode in ("in", "in_or_null"):
        params["_exp_vm_state"] = vm_values
    query = _update_statement(tuple(sorted(values)), task_mode, vm_mode)
    with database.writer(conn) as conn:
        result = conn.execute(query, params)
        if result.rowcount == 0:
            exists = conn.execute(sa.select(instances.c.task_state, instances.c.vm_state)
                                  .where(instances.c.uuid == uuid,
                                         instances.c.deleted == 0)).first()
            if exists is None:
                raise exception.InstanceNotFound(instance_id=uuid)
            raise exception.InstanceInvalidState(
                action="update", instance_uuid=uuid, attr="task_state",
                state=exists.task_state)


def soft_delete(database, uuid: str) -> None:
    now = utcnow()
    with database.writer() as conn:
        conn.execute(instances.update()
                     .where(instances.c.uuid == uuid, instances.c.deleted == 0)
                     .values(deleted=instances.c.id, deleted_at=now, updated_at=now,
                             terminated_at=now, vm_state="deleted", task_state=None,
                             power_state=0))


def fault_create(database, uuid: str, code: int, message: str, details: str | None = None,
                 host: str | None = None) -> None:
    with database.writer() as conn:
        conn.execute(instance_faults.insert().values(
            instance_uuid=uuid, code=code, message=(message or "")[:255], details=details,
            host=host, created_at=utcnow()))


def set_error(database, uuid: str, code: int, message: str, details: str | None = None,
              host: str | None = None) -> None:
    """Record a fault and put the instance in ERROR in one transaction."""
    now = utcnow()
    with database.writer() as conn:
        conn.execute(instance_faults.insert().values(
            instance_uuid=uuid, code=code, message=(message or "")[:255], details=details,
            host=host, created_at=now))
        conn.execute(instances.update()
                     .where(instances.c.uuid == uuid, instances.c.deleted == 0)
                     .values(vm_state="error", task_state=None, updated_at=now))


def get_by_host(database, host: str) -> list[Instance]:
    query = sa.select(*_COLUMNS).where(instances.c.host == host, instances.c.deleted == 0)
    with database.reader() as conn:
        return [_from_row(r) for r in conn.execute(query)]


def get_settled(database, uuids: list[str]) -> set[str]:
    """Of these instances, those a compute host has taken (host set), or that were deleted
    or failed: the scheduler no longer needs to count them itself. (Rows are soft-deleted,
    so every uuid the scheduler placed still has one.)"""
    c = instances.c
    query = sa.select(c.uuid).where(c.uuid.in_(uuids), sa.or_(
        c.host.is_not(None), c.deleted != 0, c.vm_state != "building"))
    with database.reader() as conn:
        return {row.uuid for row in conn.execute(query)}


def get_stale_builds(database, older_than) -> list[Instance]:
    query = sa.select(*_COLUMNS).where(instances.c.vm_state == "building",
                                       instances.c.deleted == 0,
                                       instances.c.updated_at < older_than)
    with database.reader() as conn:
        return [_from_row(r) for r in conn.execute(query)]
