"""Image records: the images table and their tags."""

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import image_members, image_tags, images
from novalite.objects.base import utcnow
from novalite.objects.image import Image

_FIELDS = ("id", "name", "status", "owner", "visibility", "size", "min_disk", "min_ram",
           "disk_format", "container_format", "properties", "created_at", "updated_at",
           "checksum", "os_hash_algo", "os_hash_value", "protected")
_EQUAL_FILTERS = ("name", "status", "visibility", "owner", "disk_format", "container_format",
                  "id")


def _from_rows(conn, rows) -> list[Image]:
    out = [Image(**{k: r._mapping[k] for k in _FIELDS}) for r in rows]
    if out:
        by_id = {i.id: i for i in out}
        tags = conn.execute(sa.select(image_tags.c.image_id, image_tags.c.value)
                            .where(image_tags.c.image_id.in_(list(by_id)))
                            .order_by(image_tags.c.value))
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


def get(database, image_id: str, project_id: str | None = None) -> Image:
    query = _visible(sa.select(images).where(images.c.id == image_id), project_id)
    with database.reader() as conn:
        found = _from_rows(conn, conn.execute(query).all())
    if not found:
        raise exception.ImageNotFound(image_id=image_id)
    return found[0]


def _sort_expr(key):
    column = images.c[key]
    if key in ("created_at", "updated_at", "id"):
        return column
    # NULLs sort differently per backend and break marker comparisons: fold them.
    blank = -1 if key in ("size", "min_disk", "min_ram") else ""
    return sa.func.coalesce(column, blank)


def list_(database, project_id: str | None = None, filters: dict | None = None,
          limit: int | None = None, marker: str | None = None,
          sort_key: str = "created_at", sort_dir: str = "desc") -> list[Image]:
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
    expr = _sort_expr(sort_key)
    order = sa.desc if sort_dir == "desc" else sa.asc
    query = query.order_by(order(expr), order(images.c.id))
    with database.reader() as conn:
        if marker is not None:
            row = conn.execute(sa.select(expr, images.c.id)
                               .where(images.c.id == marker)).first()
            if row is None:
                raise exception.MarkerNotFound(marker=marker)
            if sort_dir == "desc":
                after = sa.or_(expr < row[0], sa.and_(expr == row[0], images.c.id < row[1]))
            else:
                after = sa.or_(expr > row[0], sa.and_(expr == row[0], images.c.id > row[1]))
            query = query.where(after)
        if limit is not None:
            query = query.limit(limit)
        return _from_rows(conn, conn.execute(query).all())


def create(database, image: Image) -> Image:
    image.created_at = image.updated_at = utcnow()
    with database.writer() as conn:
        conn.execute(images.insert().values(**{k: getattr(image, k) for k in _FIELDS}))
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
