import sqlalchemy as sa

from novalite import exception
from novalite.db import flavor_projects
from novalite.db.models import flavors
from novalite.objects.base import utcnow
from novalite.objects.flavor import Flavor

_FIELDS = ("id", "flavorid", "name", "vcpus", "memory_mb", "root_gb", "ephemeral_gb", "swap",
           "rxtx_factor", "is_public", "disabled", "description", "extra_specs")
_SORT_KEYS = {"flavorid", "name", "memory_mb", "root_gb", "vcpus", "swap", "ephemeral_gb",
              "rxtx_factor", "id", "created_at", "updated_at", "description"}


def _from_row(row) -> Flavor:
    m = row._mapping
    values = {k: m[k] for k in _FIELDS}
    values["is_public"] = bool(values["is_public"])
    values["disabled"] = bool(values["disabled"])
    values["extra_specs"] = values["extra_specs"] or {}
    return Flavor(**values)


def get_by_flavorid(database, flavorid: str) -> Flavor:
    with database.reader() as conn:
        row = conn.execute(sa.select(flavors).where(flavors.c.flavorid == str(flavorid))).first()
    if row is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return _from_row(row)


def list_(database, is_public: bool | None = True, min_memory_mb=None, min_root_gb=None,
          limit=None, marker=None, sort_key="flavorid", sort_dir="asc",
          project_id: str | None = None) -> list[Flavor]:
    """With project_id (a non-admin caller), the public flavors and the private ones that
    project was given access to, as Nova lists them."""
    if sort_key not in _SORT_KEYS:
        raise exception.Invalid("Invalid sort_key %s" % sort_key)
    query = sa.select(flavors)
    if project_id is not None:
        query = query.where(flavor_projects.accessible_clause(project_id))
    elif is_public is not None:
        query = query.where(flavors.c.is_public == is_public)
    if min_memory_mb is not None:
        query = query.where(flavors.c.memory_mb >= min_memory_mb)
    if min_root_gb is not None:
        query = query.where(flavors.c.root_gb >= min_root_gb)
    column = flavors.c[sort_key]
    direction = sa.desc if sort_dir == "desc" else sa.asc
    query = query.order_by(direction(column), direction(flavors.c.id))
    with database.reader() as conn:
        if marker is not None:
            row = conn.execute(sa.select(column, flavors.c.id)
                               .where(flavors.c.flavorid == marker)).first()
            if row is None:
                raise exception.MarkerNotFound(marker=marker)
            if sort_dir == "desc":
                after = sa.or_(column < row[0], sa.and_(column == row[0], flavors.c.id < row[1]))
            else:
                after = sa.or_(column > row[0], sa.and_(column == row[0], flavors.c.id > row[1]))
            query = query.where(after)
        if limit is not None:
            query = query.limit(limit)
        return [_from_row(r) for r in conn.execute(query)]


def create(database, flavor: Flavor) -> Flavor:
    now = utcnow()
    values = {k: getattr(flavor, k) for k in _FIELDS if k != "id"}
    with database.writer() as conn:
        for field in ("flavorid", "name"):
            taken = conn.execute(sa.select(flavors.c.id)
                                 .where(flavors.c[field] == values[field])).first()
            if taken is not None:
                raise exception.FlavorExists(field="ID" if field == "flavorid" else "name",
                                             value=values[field])
        try:
            flavor.id = conn.execute(flavors.insert().values(
                created_at=now, updated_at=now, **values)).inserted_primary_key[0]
        except sa.exc.IntegrityError as e:
            raise exception.FlavorExists(field="name or ID", value=flavor.name) from e
    return flavor


def update(database, flavorid: str, values: dict) -> None:
    with database.writer() as conn:
        result = conn.execute(flavors.update().where(flavors.c.flavorid == flavorid)
                              .values(updated_at=utcnow(), **values))
    if result.rowcount == 0:
        raise exception.FlavorNotFound(flavor_id=flavorid)


def delete(database, flavorid: str) -> None:
    with database.writer() as conn:
        row = conn.execute(sa.select(flavors.c.id).where(flavors.c.flavorid == flavorid)).first()
        if row is None:
            raise exception.FlavorNotFound(flavor_id=flavorid)
        flavor_projects.delete_for_flavor(conn, row[0])
        conn.execute(flavors.delete().where(flavors.c.id == row[0]))


def count(database) -> int:
    with database.reader() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(flavors)).scalar_one()
