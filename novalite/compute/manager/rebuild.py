"""rebuild on the host: the guest and its disk destroyed, the (new) image brought into the
cache, the guest spawned again with the same network and claim. task_state: rebuilding ->
rebuild_block_device_mapping -> rebuild_spawning -> None; a stopped server ends stopped.
A failure leaves the server in ERROR with a fault, as Nova's."""

import logging
import traceback

from novalite import exception
from novalite.compute.manager.base import ManagerBase
from novalite.compute.states import task_states, vm_states
from novalite.db import cached_images as db_cached
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.objects.base import utcnow

LOG = logging.getLogger(__name__)

_EVENT = "compute_rebuild_instance"


class RebuildManager(ManagerBase):
    def rebuild_instance(self, ctxt, instance_uuid, image_id, preserve_ephemeral=False):
        with self._instance_lock(instance_uuid):
            try:
                instance = db_instances.get(self.database, instance_uuid)
            except exception.InstanceNotFound:
                return
            db_actions.event_start(self.database, ctxt, instance_uuid, _EVENT, self.host)
            self.notifier.info(ctxt, "instance.rebuild.start", instance)
            try:
                self._rebuild(instance)
            except (exception.InstanceNotFound, exception.InstanceInvalidState):
                LOG.info("Instance %s was deleted during its rebuild", instance_uuid)
                self._event_finish(ctxt, instance, _EVENT, "deleted during rebuild")
                return
            except Exception as e:
                LOG.exception("Rebuild of instance %s failed", instance_uuid)
                db_instances.set_error(self.database, instance_uuid, 500,
                                       "Rebuild failed: %s" % e,
                                       details=traceback.format_exc(), host=self.host)
                self._event_finish(ctxt, instance, _EVENT, e)
                self.notifier.info(ctxt, "instance.rebuild.error", instance, fault=str(e))
                return
            self._event_finish(ctxt, instance, _EVENT, None)
            self.notifier.info(ctxt, "instance.rebuild.end", instance)

    def _rebuild(self, instance) -> None:
        self._save(instance, {"task_state": task_states.REBUILD_BLOCK_DEVICE_MAPPING},
                   expected=task_states.REBUILDING)
        self.driver.destroy(instance)  # the guest and its disk; network and claim stay
        self.image_cache.remove_instance(instance.uuid)
        self._save(instance, {"task_state": task_states.REBUILD_SPAWNING},
                   expected=task_states.REBUILD_BLOCK_DEVICE_MAPPING)
        image = self.image_cache.prepare(instance.uuid, instance.image_ref)
        if image.downloaded:
            db_cached.record(self.database, self.host, image.id, image.meta.get("size"))
        for boot_image in filter(None, (instance.kernel_id, instance.ramdisk_id)):
            self.image_cache.precache(boot_image)
        self.driver.spawn(instance, image=image, network_info=instance.network_info)
        system_metadata = dict(instance.system_metadata)
        stopped = system_metadata.pop("rebuild_from_vm_state", None) == vm_states.STOPPED
        if stopped:
            self.driver.power_off(instance)
        self._save(instance, {
            "vm_state": vm_states.STOPPED if stopped else vm_states.ACTIVE,
            "task_state": None, "power_state": self.driver.get_info(instance),
            "launched_at": utcnow(), "system_metadata": system_metadata},
            expected=task_states.REBUILD_SPAWNING)
