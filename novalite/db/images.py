"""The minimal image catalog (until the Glance-compatible image service replaces it)."""

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import images
from novalite.objects.base import utcnow
from novalite.objects.image import Image

_FIELDS = ("id", "name", "status", "owner", "visibility", "size", "min_disk", "min_ram",
           "disk_format", "container_format", "properties", "created_at", "updated_at")


def _from_row(row) -> Image:
    m = row._mapping
    return Image(**{k: m[k] for k in _FIELDS})


def _visible(query, project_id):
    if project_id is None:  # admin
        return query
    return query.where(sa.or_(images.c.visibility.in_(["public", "community"]),
                              images.c.owner == project_id))


def get(database, image_id: str, project_id: str | None = None) -> Image:
    query = _visible(sa.select(images).where(images.c.id == image_id), project_id)
    with database.reader() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise exception.ImageNotFound(image_id=image_id)
    return _from_row(row)


def list_(database, project_id: str | None = None, filters: dict | None = None,
          limit: int | None = None, marker: str | None = None) -> list[Image]:
    query = _visible(sa.select(images), project_id)
    for key, value in (filters or {}).items():
        if key in ("name", "status", "visibility", "owner", "disk_format",
                   "container_format"):
            if isinstance(value, (list, tuple, set)):  # Glance's in: operator
                query = query.where(images.c[key].in_(list(value)))
            else:
                query = query.where(images.c[key] == value)
        elif key == "id":
            query = query.where(images.c.id.in_(list(value)))
        elif key == "minDisk":
            query = query.where(images.c.min_disk >= int(value))
        elif key == "minRam":
            query = query.where(images.c.min_ram >= int(value))
    query = query.order_by(images.c.created_at.desc(), images.c.id.desc())
    with database.reader() as conn:
        if marker is not None:
            row = conn.execute(sa.select(images.c.created_at, images.c.id)
                               .where(images.c.id == marker)).first()
            if row is None:
                raise exception.MarkerNotFound(marker=marker)
            query = query.where(sa.or_(
                images.c.created_at < row[0],
                sa.and_(images.c.created_at == row[0], images.c.id < row[1])))
        if limit is not None:
            query = query.limit(limit)
        return [_from_row(r) for r in conn.execute(query)]


def create(database, image: Image) -> Image:
    image.created_at = image.updated_at = utcnow()
    with database.writer() as conn:
        conn.execute(images.insert().values(**{k: getattr(image, k) for k in _FIELDS}))
    return image


def delete(database, image_id: str) -> None:
    with database.writer() as conn:
        if conn.execute(images.delete().where(images.c.id == image_id)).rowcount == 0:
            raise exception.ImageNotFound(image_id=image_id)


def count(database) -> int:
    with database.reader() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(images)).scalar_one()
