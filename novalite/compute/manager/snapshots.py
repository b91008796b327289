"""Snapshots and backups on the host: the driver captures the disk, the image client
streams it to the image service, backups beyond the rotation are deleted."""

import contextlib
import logging
import traceback

from novalite import exception
from novalite.compute.manager.base import ManagerBase
from novalite.compute.states import task_states
from novalite.db import images as db_images
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.objects.instance import Instance

LOG = logging.getLogger(__name__)

_SNAPSHOT_STEPS = {task_states.IMAGE_PENDING_UPLOAD: task_states.IMAGE_PENDING_UPLOAD,
                   task_states.IMAGE_UPLOADING: task_states.IMAGE_UPLOADING}
SHELVE_STEPS = {task_states.IMAGE_PENDING_UPLOAD: task_states.SHELVING_IMAGE_PENDING_UPLOAD,
                task_states.IMAGE_UPLOADING: task_states.SHELVING_IMAGE_UPLOADING}


class SnapshotManager(ManagerBase):
    def snapshot_instance(self, ctxt, instance_uuid, image_id, image_type, backup_type=None,
                          rotation=None):
        """The disk captured by the driver and streamed to the image service. task_state:
        image_backup|image_snapshot -> image_pending_upload -> image_uploading -> None."""
        event = "compute_%s_instance" % ("backup" if image_type == "backup" else "snapshot")
        with self._instance_lock(instance_uuid):
            try:
                instance = db_instances.get(self.database, instance_uuid)
            except exception.InstanceNotFound:
                self._delete_image(image_id)
                return
            db_actions.event_start(self.database, ctxt, instance_uuid, event, self.host)
            self.notifier.info(ctxt, "instance.snapshot.start", instance)
            try:
                self._snapshot(instance, image_id)
            except Exception as e:
                LOG.exception("Snapshot of instance %s into image %s failed", instance_uuid,
                              image_id)
                self._delete_image(image_id)
                db_instances.fault_create(self.database, instance_uuid, 500,
                                          "Snapshot into image %s failed: %s" % (image_id, e),
                                          details=traceback.format_exc(), host=self.host)
                with contextlib.suppress(exception.InstanceNotFound):
                    db_instances.update(self.database, instance_uuid, {"task_state": None})
                self._event_finish(ctxt, instance, event, e)
                return
            self._save(instance, {"task_state": None}, expected=task_states.IMAGE_UPLOADING)
            self._event_finish(ctxt, instance, event, None)
            self.notifier.info(ctxt, "instance.snapshot.end", instance)
        if image_type == "backup" and rotation is not None:
            self._rotate_backups(instance, backup_type, rotation)

    def _snapshot(self, instance: Instance, image_id: str, steps=None) -> None:
        """Capture and upload; `steps` renames the two upload task_states (a shelve's
        are shelving_image_pending_upload and shelving_image_uploading)."""
        steps = steps or _SNAPSHOT_STEPS
        if instance.task_state == task_states.IMAGE_SNAPSHOT:
            self._save(instance, {"task_state": task_states.IMAGE_SNAPSHOT_PENDING},
                       expected=task_states.IMAGE_SNAPSHOT)
        captured_from = instance.task_state

        def update_task_state(task_state):
            self._save(instance, {"task_state": steps[task_state]}, expected=captured_from)

        with self.image_cache.snapshot_file(image_id) as path:
            disk_format = self.driver.snapshot(instance, path, update_task_state)
            pending = steps[task_states.IMAGE_PENDING_UPLOAD]
            if instance.task_state != pending:
                update_task_state(task_states.IMAGE_PENDING_UPLOAD)
            client = self.image_cache.client
            if disk_format != client.show(image_id).get("disk_format"):
                client.set_properties(image_id, {"disk_format": disk_format})
            self._save(instance, {"task_state": steps[task_states.IMAGE_UPLOADING]},
                       expected=pending)
            with open(path, "rb") as data:
                client.upload(image_id, data)

    def _delete_image(self, image_id: str) -> None:
        try:
            self.image_cache.client.delete(image_id)
        except Exception:
            LOG.exception("Image %s of a failed snapshot could not be deleted", image_id)

    def _rotate_backups(self, instance: Instance, backup_type: str, rotation: int) -> None:
        """Delete this server's oldest backups of backup_type beyond `rotation`, as Nova."""
        backups = [i for i in db_images.list_(self.database, None, {
            "owner": instance.project_id}, sort_key="created_at", sort_dir="desc")
            if i.properties.get("instance_uuid") == instance.uuid
            and i.properties.get("image_type") == "backup"
            and i.properties.get("backup_type") == backup_type]
        for image in backups[rotation:]:
            LOG.info("Rotating out backup %s of instance %s", image.id, instance.uuid)
            self._delete_image(image.id)
