"""Image members: the owner of a shared image offers it to other projects, and each of
them accepts or rejects it (Glance v2 semantics)."""

from novalite import exception
from novalite.db import image_members as db_members
from novalite.objects.image import ImageMember

MEMBER_STATUSES = ("pending", "accepted", "rejected")


class MemberAPI:
    def __init__(self, image_api):
        self.image_api = image_api
        self.database = image_api.database

    def _is_owner(self, ctxt, image) -> bool:
        return ctxt.is_admin or image.owner == ctxt.project_id

    def list(self, ctxt, image_id: str) -> list[ImageMember]:
        image = self.image_api.get(ctxt, image_id)
        if image.visibility != "shared":
            raise exception.Forbidden("Only shared images have members.")
        # A member sees only its own entry; the owner sees them all.
        member = None if self._is_owner(ctxt, image) else ctxt.project_id
        return db_members.list_(self.database, image_id, member)

    def get(self, ctxt, image_id: str, member_id: str) -> ImageMember:
        image = self.image_api.get(ctxt, image_id)
        if not self._is_owner(ctxt, image) and member_id != ctxt.project_id:
            raise exception.NotFound("Member %s not found for image %s." % (
                member_id, image_id))
        return db_members.get(self.database, image_id, member_id)

    def create(self, ctxt, image_id: str, member_id) -> ImageMember:
        image = self.image_api.get(ctxt, image_id)
        if not self._is_owner(ctxt, image):
            raise exception.Forbidden("Only the image's owner can add members.")
        if image.visibility != "shared":
            raise exception.Forbidden("Only shared images have members.")
        if not isinstance(member_id, str) or not 0 < len(member_id) <= 255:
            raise exception.Invalid("member must be a project id.")
        if member_id == image.owner:
            raise exception.Invalid("The owner cannot be a member of its own image.")
        return db_members.create(self.database, image_id, member_id)

    def update(self, ctxt, image_id: str, member_id: str, status) -> ImageMember:
        self.image_api.get(ctxt, image_id)
        if member_id != ctxt.project_id:  # only the member answers, not the owner
            raise exception.Forbidden("Only the member can change its status.")
        if status not in MEMBER_STATUSES:
            raise exception.Invalid("status must be one of %s." % ", ".join(MEMBER_STATUSES))
        return db_members.update(self.database, image_id, member_id, status)

    def delete(self, ctxt, image_id: str, member_id: str) -> None:
        image = self.image_api.get(ctxt, image_id)
        if not self._is_owner(ctxt, image):
            raise exception.Forbidden("Only the image's owner can remove members.")
        db_members.delete(self.database, image_id, member_id)
