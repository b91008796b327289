"""Image look-ups for the compute API (the minimal catalog, seeded with a demo image)."""

import uuid

from novalite import exception
from novalite.db import images as db_images
from novalite.objects.image import Image

DEMO_IMAGE_NAME = "cirros-0.6.2-x86_64-disk"


class ImageAPI:
    def __init__(self, database):
        self.database = database

    def _scope(self, ctxt):
        return None if ctxt.is_admin else ctxt.project_id

    def get(self, ctxt, image_id: str) -> Image:
        return db_images.get(self.database, image_id, self._scope(ctxt))

    def list(self, ctxt, filters=None, limit=None, marker=None) -> list[Image]:
        return db_images.list_(self.database, self._scope(ctxt), filters, limit, marker)

    def delete(self, ctxt, image_id: str) -> None:
        image = self.get(ctxt, image_id)
        if not ctxt.is_admin and image.owner != ctxt.project_id:
            raise exception.Forbidden("You are not allowed to delete image %s." % image_id)
        db_images.delete(self.database, image_id)

    def ensure_demo_image(self) -> None:
        if db_images.count(self.database) == 0:
            db_images.create(self.database, Image(
                id=str(uuid.uuid4()), name=DEMO_IMAGE_NAME, status="active",
                visibility="public", size=21430272, disk_format="qcow2",
                container_format="bare", properties={"os_distro": "cirros"}))
