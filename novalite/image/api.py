"""The image service's facade: image records, their rules, and their data in the store.

Used by the image API (Glance v2) and by the compute API (Nova's /images proxy and boot),
so both apply the same visibility, ownership and protection rules.
"""

import uuid

from novalite import exception
from novalite.db import images as db_images
from novalite.db.images import TIME_OPERATORS
from novalite.image import demo, formats
from novalite.image.upload import DEFAULT_HEARTBEAT, Upload, sweep_stale_uploads
from novalite.objects.image import Image

DEMO_IMAGE_NAME = "cirros-0.6.2-x86_64-disk"
DISK_FORMATS = ("raw", "qcow2", "vmdk", "vdi", "iso", "ploop", "vhd", "vhdx", "aki", "ari",
                "ami")
CONTAINER_FORMATS = ("bare", "ovf", "ova", "aki", "ari", "ami", "docker", "compressed")
SORT_KEYS = ("created_at", "updated_at", "name", "status", "size", "id", "visibility",
             "disk_format", "container_format", "min_disk", "min_ram", "owner")
VISIBILITIES = ("public", "private", "shared", "community")
TIME_FILTER_OPERATORS = tuple(TIME_OPERATORS)  # gt, gte, eq, neq, lt, lte (Glance's)
# What clients may set besides free-form string properties.
CORE_ATTRIBUTES = ("name", "visibility", "protected", "os_hidden", "min_disk", "min_ram",
                   "disk_format", "container_format", "tags")
READ_ONLY = ("id", "status", "owner", "size", "virtual_size", "checksum", "os_hash_algo",
             "os_hash_value", "created_at", "updated_at", "self", "file", "schema",
             "direct_url", "locations", "stores", "deleted", "deleted_at")


def _check_value(name, value):
    """Raise Invalid unless value suits the attribute; returns the value to store."""
    if name == "name":
        if value is not None and (not isinstance(value, str) or len(value) > 255):
            raise exception.Invalid("Invalid value for name: at most 255 characters.")
    elif name == "visibility":
        if value not in VISIBILITIES:
            raise exception.Invalid("Invalid visibility value: %s" % value)
    elif name in ("protected", "os_hidden"):
        if not isinstance(value, bool):
            raise exception.Invalid("Invalid value for %s: must be a boolean." % name)
    elif name in ("min_disk", "min_ram"):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2 ** 31:
            raise exception.Invalid("Invalid value for %s: must be a non-negative integer."
                                    % name)
    elif name == "disk_format":
        if value is not None and value not in DISK_FORMATS:
            raise exception.Invalid("Invalid disk format '%s'; valid: %s" % (
                value, ", ".join(DISK_FORMATS)))
    elif name == "container_format":
        if value is not None and value not in CONTAINER_FORMATS:
            raise exception.Invalid("Invalid container format '%s'; valid: %s" % (
                value, ", ".join(CONTAINER_FORMATS)))
    elif name == "tags":
        if not isinstance(value, list) or not all(
                isinstance(t, str) and 0 < len(t) <= 255 for t in value):
            raise exception.Invalid("Invalid tags: a list of strings of 1-255 characters.")
        return sorted(set(value))
    else:  # a custom property
        if not isinstance(value, str):
            raise exception.Invalid("Invalid value for property %s: must be a string." % name)
        if not 0 < len(name) <= 255:
            raise exception.Invalid("Property names have 1-255 characters.")
    return value


class ImageAPI:
    def __init__(self, database, store=None):
        self.database = database
        self.store = store

    def _scope(self, ctxt):
        return None if ctxt.is_admin else ctxt.project_id

    def get(self, ctxt, image_id: str) -> Image:
        return db_images.get(self.database, image_id, self._scope(ctxt))

    def list(self, ctxt, filters=None, limit=None, marker=None, sort=None) -> list[Image]:
        """Images the caller may see; sort is [(key, "asc"|"desc"), ...] (default newest
        first). As Glance, hidden images are listed only with the filter os_hidden=True."""
        filters = {"os_hidden": False, **(filters or {})}
        return db_images.list_(self.database, self._scope(ctxt), filters, limit, marker,
                               sort=sort or [("created_at", "desc")])

    def _get_own(self, ctxt, image_id: str) -> Image:
        """An image the caller may change: visible ones owned by someone else are 403."""
        image = self.get(ctxt, image_id)
        if not ctxt.is_admin and image.owner != ctxt.project_id:
            raise exception.Forbidden("You are not permitted to modify image %s." % image_id)
        return image

    def _check_visibility(self, ctxt, visibility):
        # Glance's publicize_image rule: only admins make images public.
        if visibility == "public" and not ctxt.is_admin:
            raise exception.Forbidden("You are not permitted to publicize images.")

    def create(self, ctxt, values: dict) -> Image:
        values = dict(values)
        image_id = values.pop("id", None) or str(uuid.uuid4())
        try:
            image_id = str(uuid.UUID(str(image_id)))
        except ValueError:
            raise exception.Invalid("Invalid image id %s." % image_id) from None
        owner = values.pop("owner", None) if ctxt.is_admin else None
        for key in READ_ONLY:
            if key in values:
                raise exception.Forbidden("Attribute '%s' is read-only." % key)
        core, properties = {}, {}
        for key, value in values.items():
            (core if key in CORE_ATTRIBUTES else properties)[key] = _check_value(key, value)
        visibility = core.get("visibility", "shared")
        self._check_visibility(ctxt, visibility)
        image = Image(
            id=image_id, name=core.get("name"), status="queued",
            owner=owner or ctxt.project_id, visibility=visibility, size=None,
            min_disk=core.get("min_disk", 0), min_ram=core.get("min_ram", 0),
            disk_format=core.get("disk_format"), container_format=core.get("container_format"),
            properties=properties, protected=core.get("protected", False),
            os_hidden=core.get("os_hidden", False), tags=core.get("tags", []))
        try:
            db_images.get(self.database, image_id)
        except exception.ImageNotFound:
            return db_images.create(self.database, image)
        raise exception.Conflict("Image with identifier %s already exists." % image_id)

    def update(self, ctxt, image_id: str, changes: list) -> Image:
        """Apply JSON-patch style changes: (op, attribute, value) with op add/replace/remove."""
        image = self._get_own(ctxt, image_id)
        core = {k: getattr(image, k) for k in CORE_ATTRIBUTES}
        core["tags"] = list(image.tags)
        properties = dict(image.properties)
        for op, name, value in changes:
            if name == "owner" and op == "replace" and ctxt.is_admin:
                core["owner"] = _check_value(name, value)  # as Glance: admins move images
                continue
            if name in READ_ONLY:
                raise exception.Forbidden("Attribute '%s' is read-only." % name)
            if name in CORE_ATTRIBUTES:
                if op == "remove":
                    raise exception.Forbidden("Attribute '%s' is reserved." % name)
                if name in ("disk_format", "container_format") and image.status != "queued" \
                        and value != core[name]:
                    raise exception.Forbidden(
                        "Attribute %s can be only replaced for a queued image." % name)
                core[name] = _check_value(name, value)
            elif op == "remove":
                if properties.pop(name, None) is None:
                    raise exception.Conflict("Property %s does not exist." % name)
            elif op == "replace" and name not in properties:
                raise exception.Conflict("Property %s does not exist." % name)
            else:
                properties[name] = _check_value(name, value)
        if core["visibility"] != image.visibility:
            self._check_visibility(ctxt, core["visibility"])
        db_images.update(self.database, image_id, {**core, "properties": properties})
        return self.get(ctxt, image_id)

    def add_tag(self, ctxt, image_id: str, tag: str) -> None:
        self._get_own(ctxt, image_id)
        _check_value("tags", [tag])
        db_images.add_tag(self.database, image_id, tag)

    def remove_tag(self, ctxt, image_id: str, tag: str) -> None:
        self._get_own(ctxt, image_id)
        if not db_images.remove_tag(self.database, image_id, tag):
            raise exception.NotFound("Tag %s not found on image %s." % (tag, image_id))

    def delete(self, ctxt, image_id: str) -> None:
        image = self._get_own(ctxt, image_id)
        if image.protected:
            raise exception.Forbidden("Image %s is protected and cannot be deleted."
                                      % image_id)
        db_images.delete(self.database, image_id)
        if self.store is not None:
            self.store.delete(image_id)

    def begin_upload(self, ctxt, image_id: str, heartbeat: float = DEFAULT_HEARTBEAT
                     ) -> Upload:
        image = self._get_own(ctxt, image_id)
        if image.status != "queued":
            raise exception.Conflict("Image status transition from %s to saving is not "
                                     "allowed." % image.status)
        if not image.disk_format or not image.container_format:
            raise exception.Invalid("Properties disk_format, container_format must be set "
                                    "prior to saving data.")
        # Compare-and-set: of two concurrent uploads (any process) only one gets here.
        if not db_images.update(self.database, image_id, {"status": "saving"},
                                expected_status=("queued",)):
            raise exception.Conflict("Image %s is already receiving data." % image_id)
        try:
            return Upload(self.database, self.store, image_id, self.store.stage(image_id),
                          image.disk_format, heartbeat)
        except Exception:
            db_images.update(self.database, image_id, {"status": "queued"},
                             expected_status=("saving",))
            raise

    def sweep_stale_uploads(self, timeout: float):
        """Put uploads without a heartbeat for `timeout` seconds back to queued; their ids."""
        return sweep_stale_uploads(self.database, self.store, timeout)

    def set_active(self, ctxt, image_id: str, active: bool) -> None:
        """Glance's deactivate/reactivate actions: a deactivated image keeps its data but
        only admins may download it."""
        image = self._get_own(ctxt, image_id)
        if image.status not in ("active", "deactivated"):
            raise exception.Forbidden("Not allowed to %s image in status '%s'." % (
                "reactivate" if active else "deactivate", image.status))
        db_images.update(self.database, image_id,
                         {"status": "active" if active else "deactivated"},
                         expected_status=("active", "deactivated"))

    def open_data(self, ctxt, image_id: str):
        """(image, binary file) for an active image's bytes; (image, None) without data."""
        image = self.get(ctxt, image_id)
        if image.status == "deactivated" and not ctxt.is_admin:
            raise exception.Forbidden("The requested image has been deactivated. Image data "
                                      "download is forbidden.")
        if image.status not in ("active", "deactivated") or self.store is None:
            return image, None
        return image, self.store.open(image_id)

    def ensure_demo_image(self) -> None:
        """Seed the demo image with real bytes (also fills in one seeded without them)."""
        image = db_images.get_by_name(self.database, DEMO_IMAGE_NAME)
        if image is None:
            if db_images.count(self.database) > 0:
                return  # the operator deleted it: leave it so
            image = db_images.create(self.database, Image(
                id=str(uuid.uuid4()), name=DEMO_IMAGE_NAME, status="queued",
                visibility="public", size=None, disk_format="qcow2",
                container_format="bare", properties={"os_distro": "cirros"}))
        elif self.store is None:
            return
        elif image.checksum is not None:
            self._fill_in_virtual_size(image)
            return
        db_images.update(self.database, image.id, {"status": "saving"})
        upload = Upload(self.database, self.store, image.id, self.store.stage(image.id),
                        image.disk_format)
        upload.write(demo.qcow2_disk())
        upload.finish()

    def _fill_in_virtual_size(self, image) -> None:
        """For a demo image uploaded before virtual sizes were computed."""
        if image.virtual_size is not None or image.status != "active":
            return
        data = self.store.open(image.id)
        if data is None:
            return
        with data:
            size = formats.virtual_size(image.disk_format, data.read(512), image.size)
        if size is not None:
            db_images.update(self.database, image.id, {"virtual_size": size})
