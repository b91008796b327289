"""What each compute host holds in its image cache, as the host reports it."""

import datetime

import sqlalchemy as sa

from novalite.db.models import cached_images
from novalite.objects.base import utcnow


def record(database, host: str, image_id: str, size: int | None,
           precached_until: datetime.datetime | None = None) -> None:
    """The host has this image now (replacing any older row)."""
    with database.writer() as conn:
        row = conn.execute(sa.select(cached_images.c.precached_until).where(
            cached_images.c.host == host, cached_images.c.image_id == image_id)).first()
        values = {"size": size, "updated_at": utcnow()}
        if precached_until is not None:
            values["precached_until"] = precached_until
        if row is None:
            conn.execute(cached_images.insert().values(host=host, image_id=image_id,
                                                       **values))
        else:
            conn.execute(cached_images.update().where(
                cached_images.c.host == host, cached_images.c.image_id == image_id
            ).values(**values))


def protected(database, host: str, now=None) -> set[str]:
    """Images pre-distributed to this host whose protection has not run out."""
    now = now or utcnow()
    query = sa.select(cached_images.c.image_id).where(
        cached_images.c.host == host, cached_images.c.precached_until > now)
    with database.reader() as conn:
        return {r.image_id for r in conn.execute(query)}


def hosts_with(database, image_id: str) -> set[str]:
    query = sa.select(cached_images.c.host).where(cached_images.c.image_id == image_id)
    with database.reader() as conn:
        return {r.host for r in conn.execute(query)}


def sync(database, host: str, present: set[str]) -> None:
    """Make the host's rows match the images in its cache directory."""
    with database.writer() as conn:
        known = {r.image_id for r in conn.execute(sa.select(cached_images.c.image_id)
                                                  .where(cached_images.c.host == host))}
        gone = known - present
        if gone:
            conn.execute(cached_images.delete().where(cached_images.c.host == host,
                                                      cached_images.c.image_id.in_(gone)))
        for image_id in present - known:
            conn.execute(cached_images.insert().values(host=host, image_id=image_id,
                                                       updated_at=utcnow()))
