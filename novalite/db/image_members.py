"""Image members: the projects a shared image is offered to, and their answers."""

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import image_members
from novalite.objects.base import utcnow
from novalite.objects.image import ImageMember


def _from_row(row) -> ImageMember:
    m = row._mapping
    return ImageMember(image_id=m["image_id"], member_id=m["member"], status=m["status"],
                       created_at=m["created_at"], updated_at=m["updated_at"])


def list_(database, image_id: str, member: str | None = None) -> list[ImageMember]:
    query = sa.select(image_members).where(image_members.c.image_id == image_id)
    if member is not None:
        query = query.where(image_members.c.member == member)
    with database.reader() as conn:
        return [_from_row(r) for r in conn.execute(query.order_by(image_members.c.member))]


def get(database, image_id: str, member: str) -> ImageMember:
    found = list_(database, image_id, member)
    if not found:
        raise exception.NotFound("Member %s not found for image %s." % (member, image_id))
    return found[0]


def create(database, image_id: str, member: str) -> ImageMember:
    now = utcnow()
    try:
        with database.writer() as conn:
            conn.execute(image_members.insert().values(
                image_id=image_id, member=member, status="pending", created_at=now,
                updated_at=now))
    except sa.exc.IntegrityError:
        raise exception.Conflict("Member %s already exists for image %s." % (
            member, image_id)) from None
    return get(database, image_id, member)


def update(database, image_id: str, member: str, status: str) -> ImageMember:
    with database.writer() as conn:
        done = conn.execute(image_members.update().where(
            image_members.c.image_id == image_id, image_members.c.member == member)
            .values(status=status, updated_at=utcnow())).rowcount
    if not done:
        raise exception.NotFound("Member %s not found for image %s." % (member, image_id))
    return get(database, image_id, member)


def delete(database, image_id: str, member: str | None = None) -> None:
    """One member, or (member None) all of an image's members."""
    query = image_members.delete().where(image_members.c.image_id == image_id)
    if member is not None:
        query = query.where(image_members.c.member == member)
    with database.writer() as conn:
        done = conn.execute(query).rowcount
    if member is not None and not done:
        raise exception.NotFound("Member %s not found for image %s." % (member, image_id))
