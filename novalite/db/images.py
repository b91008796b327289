"""Image records: the images table and their tags."""

import datetime
import operator

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import image_members, image_tags, images
from novalite.objects.base import utcnow
from novalite.objects.image import Image

_FIELDS = ("id", "name", "status", "owner", "visibility", "size", "min_disk", "min_ram",
           "disk_format", "container_format", "properties", "created_at", "updated_at",
           "checksum", "os_hash_algo", "os_hash_value", "protected", "os_hidden",
           "virtual_size")
_EQUAL_FILTERS = ("name", "status", "visibility", "owner", "disk_format", "container_format",
                  "id", "protected", "os_hidden")
# Glance's comparison operators for created_at/updated_at filters.
TIME_OPERATORS = {"gt": operator.gt, "gte": operator.ge, "eq": operator.eq,
                  "neq": operator.ne, "lt": operator.lt, "lte": operator.le}


_TAGS = (sa.select(image_tags.c.image_id, image_tags.c.value)
         .where(image_tags.c.image_id.in_(sa.bindparam("ids", expanding=True)))
         .order_by(image_tags.c.value))


def _from_rows(conn, rows) -> list[Image]:
    out = [Image(**{k: r._mapping[k] for k in _FIELDS}) for r in rows]
    if out:
        by_id = {i.id: i for i in out}
        tags = conn.execute(_TAGS, {"ids": list(by_id)})
        for image_id, value in tags:
            by_id[image_id].tags.append(value)
    return out


def _visible(query, project_id, listing=False, member_status="accepted"):
    if project_id is None:  # admin
        return query
    # Community images can be shown by id by anyone, but lists offer them only on request
    # (visibility=community), as Glance. A shared image's members can show it whatever
    # their answer; lists offer it once they accepted it (or as member_status says).
    shown = ["public"] if listing else ["public", "community"]
    member = sa.exists().where(image_members.c.image_id == images.c.id,
                               image_members.c.member == project_id)
    if listing and member_status != "all":
        member = member.where(image_members.c.status == member_status)
    return query.where(sa.or_(images.c.visibility.in_(shown), images.c.owner == project_id,
                              sa.and_(images.c.visibility == "shared", member)))


# Built once: every boot, rebuild and image GET reads one image by id.
_GET = sa.select(images).where(images.c.id == sa.bindparam("image_id"))
_GET_VISIBLE = _visible(_GET, sa.bindparam("project_id"))


def get(database, image_id: str, project_id: str | None = None) -> Image:
    query, params = (_GET, {"image_id": image_id}) if project_id is None else (
        _GET_VISIBLE, {"image_id": image_id, "project_id": project_id})
    with database.reader() as conn:
        found = _from_rows(conn, conn.execute(query, params).all())
    if not found:
        raise exception.ImageNotFound(image_id=image_id)
    return found[0]


def _sort_expr(key):
    column = images.c[key]
    if key in ("created_at", "updated_at", "id"):
        return column
    # NULLs sort differently per backend and break marker comparisons: fold them.
    blank = -1 if key in ("size", "virtual_size", "min_disk", "min_ram") else ""
    return sa.func.coalesce(column, blank)


def list_(database, project_id: str | None = None, filters: dict | None = None,
          limit: int | None = None, marker: str | None = None,
          sort_key: str = "created_at", sort_dir: str = "desc",
          sort: list | None = None) -> list[Image]:
    """Images matching filters, ordered by `sort` ([(key, "asc"|"desc"), ...], else
    sort_key/sort_dir), those after `marker` if given."""
    filters = filters or {}
    community = filters.get("visibility") in ("community", ["community"])
    query = sa.select(images) if community else _visible(
        sa.select(images), project_id, True, filters.get("member_status", "accepted"))
    for key, value in filters.items():
        if key in _EQUAL_FILTERS:
            if isinstance(value, (list, tuple, set)):  # Glance's in: operator
                query = query.where(images.c[key].in_(list(value)))
            else:
                query = query.where(images.c[key] == value)
        elif key == "tags":
            for tag in value:
                query = query.where(sa.exists().where(
                    image_tags.c.image_id == images.c.id, image_tags.c.value == tag))
        elif key in ("size_min", "minDisk", "minRam"):
            column = {"size_min": "size", "minDisk": "min_disk", "minRam": "min_ram"}[key]
            query = query.where(images.c[column] >= int(value))
        elif key == "size_max":
            query = query.where(images.c.size <= int(value))
        elif key == "properties":  # {name: value}: additional properties equal to these
            for name, wanted in value.items():
                query = query.where(images.c.properties[name].as_string() == wanted)
        elif key in ("created_at", "updated_at"):  # [(operator name, naive UTC datetime)]
            for op, when in value:
                query = query.where(TIME_OPERATORS[op](images.c[key], when))
    sort = list(sort or [(sort_key, sort_dir)])
    # As Glance, created_at then id break ties (id makes the order total, so paging is
    # stable), in the keys' direction if they share one, else desc.
    directions = {direction for _, direction in sort}
    tie = directions.pop() if len(directions) == 1 else "desc"
    sort += [(key, tie) for key in ("created_at", "id") if key not in dict(sort)]
    exprs = [(_sort_expr(key), direction) for key, direction in sort]
    query = query.order_by(*[sa.desc(e) if d == "desc" else sa.asc(e) for e, d in exprs])
    with database.reader() as conn:
        if marker is not None:
            row = conn.execute(_visible(sa.select(*[e for e, _ in exprs])
                                        .where(images.c.id == marker), project_id)).first()
            if row is None:
                raise exception.MarkerNotFound(marker=marker)
            query = query.where(_after(exprs, row))
        if limit is not None:
            query = query.limit(limit)
        return _from_rows(conn, conn.execute(query).all())


def _after(exprs, row):
    """Rows after the marker's `row` in the order of exprs: equal on the first i keys and
    beyond on key i, for some i."""
    beyond = []
    for i, (expr, direction) in enumerate(exprs):
        step = expr < row[i] if direction == "desc" else expr > row[i]
        beyond.append(sa.and_(*[e == row[j] for j, (e, _) in enumerate(exprs[:i])], step))
    return sa.or_(*beyond)


def create(database, image: Image) -> Image:
    image.created_at = image.updated_at = utcnow()
    defaults = Image(id=image.id, name=image.name)  # for a plain Image
    with database.writer() as conn:
        conn.execute(images.insert().values(**{
            k: getattr(image, k, getattr(defaults, k)) for k in _FIELDS}))
        if image.tags:
            conn.execute(image_tags.insert(),
                         [{"image_id": image.id, "value": t} for t in set(image.tags)])
    return image


def update(database, image_id: str, values: dict, expected_status=None) -> bool:
    """Change columns (and tags, if given); with expected_status only while the image
    is in one of those states, so concurrent uploaders cannot both win. False if not."""
    values = dict(values)
    tags = values.pop("tags", None)
    query = images.update().where(images.c.id == image_id)
    if expected_status is not None:
        query = query.where(images.c.status.in_(list(expected_status)))
    with database.writer() as conn:
        if conn.execute(query.values(updated_at=utcnow(), **values)).rowcount == 0:
            return False
        if tags is not None:
            conn.execute(image_tags.delete().where(image_tags.c.image_id == image_id))
            if tags:
                conn.execute(image_tags.insert(),
                             [{"image_id": image_id, "value": t} for t in set(tags)])
    return True


def add_tag(database, image_id: str, tag: str) -> None:
    with database.writer() as conn:
        present = conn.execute(sa.select(image_tags.c.value).where(
            image_tags.c.image_id == image_id, image_tags.c.value == tag)).first()
        if present is None:
            conn.execute(image_tags.insert().values(image_id=image_id, value=tag))
        conn.execute(images.update().where(images.c.id == image_id)
                     .values(updated_at=utcnow()))


def remove_tag(database, image_id: str, tag: str) -> bool:
    with database.writer() as conn:
        return conn.execute(image_tags.delete().where(
            image_tags.c.image_id == image_id, image_tags.c.value == tag)).rowcount > 0


def delete(database, image_id: str) -> None:
    with database.writer() as conn:
        conn.execute(image_tags.delete().where(image_tags.c.image_id == image_id))
        conn.execute(image_members.delete().where(image_members.c.image_id == image_id))
        if conn.execute(images.delete().where(images.c.id == image_id)).rowcount == 0:
            raise exception.ImageNotFound(image_id=image_id)


def get_by_name(database, name: str) -> Image | None:
    with database.reader() as conn:
        found = _from_rows(conn, conn.execute(
            sa.select(images).where(images.c.name == name).order_by(images.c.created_at)
            .limit(1)).all())
    return found[0] if found else None


def count(database) -> int:
    with database.reader() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(images)).scalar_one()


def touch_saving(database, image_id: str) -> bool:
    """An upload's heartbeat: updated_at is now, while the image is still saving."""
    with database.writer() as conn:
        return conn.execute(images.update().where(
            images.c.id == image_id, images.c.status == "saving")
            .values(updated_at=utcnow())).rowcount > 0


def stale_uploads(database, before: datetime.datetime) -> list[str]:
    """Ids of images saving whose last heartbeat is older than `before`."""
    with database.reader() as conn:
        return list(conn.execute(sa.select(images.c.id).where(
            images.c.status == "saving", images.c.updated_at < before)).scalars())


def reset_stale_upload(database, image_id: str, before: datetime.datetime) -> bool:
    """Compare-and-set saving -> queued, only if still without a heartbeat since `before`
    (another process may have reset it, or the upload may have beaten meanwhile)."""
    with database.writer() as conn:
        return conn.execute(images.update().where(
            images.c.id == image_id, images.c.status == "saving",
            images.c.updated_at < before).values(status="queued", updated_at=utcnow())
        ).rowcount > 0
