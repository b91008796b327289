"""createImage, createBackup and novalite's backup-instance: the image row is made here,
the host captures and uploads the disk (compute/manager/snapshots.py)."""

from novalite import exception
from novalite.compute.api.base import ComputeAPIBase
from novalite.compute.states import task_states, vm_states
from novalite.db import images as db_images
from novalite.objects.image import Image

# Nova snapshots running, stopped, paused and suspended servers, locked ones too: a lock
# guards against changes and deletes, and a snapshot is neither.
_SNAPSHOT_VM_STATES = {vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED,
                       vm_states.SUSPENDED}
# Base image properties a snapshot must not carry over (they describe the base's data).
_NOT_INHERITED = {"instance_uuid", "image_type", "base_image_ref", "backup_type",
                  "description", "user_id", "image_location"}


class SnapshotActions(ComputeAPIBase):
    def snapshot(self, ctxt, instance_id: str, name: str, *, image_type: str = "snapshot",
                 action: str = "createImage", policy_rule: str =
                 "os_compute_api:servers:create_image", description: str | None = None,
                 backup_type: str | None = None, rotation: int | None = None,
                 extra_properties: dict | None = None) -> Image:
        """Record a new image for the server's disk and cast its upload to the host.

        Returns the queued image at once; the host moves the task_state through the
        upload, and the image becomes active (or is deleted on failure)."""
        instance = self._instance_for(ctxt, instance_id, action, policy_rule,
                                      _SNAPSHOT_VM_STATES, check_lock=False,
                                      needs_host=True)
        initial = task_states.IMAGE_BACKUP if image_type == "backup" \
            else task_states.IMAGE_SNAPSHOT
        image = self.images.create(ctxt, self._snapshot_values(
            ctxt, instance, name, image_type, description, backup_type, extra_properties))
        try:
            self._start_action(ctxt, instance, action, initial, {None})
        except exception.InstanceInvalidState:
            db_images.delete(self.database, image.id)  # nothing was uploaded yet
            raise
        self.compute_rpc.snapshot_instance(ctxt, instance, image.id, image_type,
                                           backup_type=backup_type, rotation=rotation)
        return image

    def _snapshot_values(self, ctxt, instance, name, image_type, description, backup_type,
                         extra_properties) -> dict:
        # As Nova: the new image inherits the base image's formats and custom properties.
        try:
            base = self.images.get(ctxt.elevated(), instance.image_ref)
            inherited = {k: v for k, v in base.properties.items()
                         if k not in _NOT_INHERITED}
            disk_format, container_format = base.disk_format, base.container_format
            min_disk, min_ram = base.min_disk, base.min_ram
        except exception.ImageNotFound:  # deleted since the boot: the server still works
            inherited, disk_format, container_format = {}, "qcow2", "bare"
            min_disk, min_ram = 0, 0
        # The caller's metadata comes last, as Nova's properties.update(extra_properties):
        # it may even name the image_type.
        properties = {**inherited, "instance_uuid": instance.uuid, "image_type": image_type,
                      "base_image_ref": instance.image_ref or "", "user_id": ctxt.user_id,
                      **(extra_properties or {})}
        if description is not None:
            properties["description"] = description
        if backup_type is not None:
            properties["backup_type"] = backup_type
        values = {"name": name, "visibility": "private", "disk_format": disk_format,
                  "container_format": container_format,
                  "min_disk": max(min_disk, instance.flavor.root_gb), "min_ram": min_ram,
                  **{k: str(v) for k, v in properties.items()}}
        if ctxt.is_admin:
            values["owner"] = instance.project_id  # the server's project owns its backups
        return values
