"""Evacuation on the hosts. The destination rebuilds the server from its image (no shared
storage here: a fresh disk), with its addresses and flavor, and ends it as it was
(stopped if it was; 2.95 asks for stopped); its migration goes accepted ->
pre-migrating -> done, or failed with the server in ERROR. The source, when it starts
again, removes the guests and files of servers evacuated away from it (Nova's
_destroy_evacuated_instances) and marks those migrations completed."""

import contextlib
import logging
import traceback

from novalite import exception
from novalite.compute.manager.base import ManagerBase
from novalite.compute.states import task_states, vm_states
from novalite.db import aggregates as db_aggregates
from novalite.db import cached_images as db_cached
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.db import server_migrations as db_migrations
from novalite.objects.base import utcnow

LOG = logging.getLogger(__name__)

_EVENT = "compute_rebuild_instance"


class EvacuateManager(ManagerBase):
    def evacuate_instance(self, ctxt, instance_uuid, migration_id, target_state=None):
        with self._instance_lock(instance_uuid):
            try:
                instance = db_instances.get(self.database, instance_uuid)
            except exception.InstanceNotFound:
                db_migrations.update(self.database, migration_id, {"status": "failed"})
                return
            db_actions.event_start(self.database, ctxt, instance_uuid, _EVENT, self.host)
            self.notifier.info(ctxt, "instance.evacuate.start", instance)
            db_migrations.update(self.database, migration_id, {"status": "pre-migrating"})
            try:
                self._evacuate(instance, target_state)
            except Exception as e:
                LOG.exception("Evacuation of instance %s to %s failed", instance_uuid,
                              self.host)
                with contextlib.suppress(Exception):
                    self.driver.destroy(instance)
                self.image_cache.remove_instance(instance.uuid)
                db_migrations.update(self.database, migration_id, {"status": "failed"})
                db_instances.set_error(self.database, instance_uuid, 500,
                                       "Evacuation failed: %s" % e,
                                       details=traceback.format_exc(), host=self.host)
                self._event_finish(ctxt, instance, _EVENT, e)
            else:
                db_migrations.update(self.database, migration_id, {"status": "done"})
                self._event_finish(ctxt, instance, _EVENT, None)
                self.notifier.info(ctxt, "instance.evacuate.end", instance)
            finally:
                self.tracker.update_available_resource()

    def _evacuate(self, instance, target_state) -> None:
        stopped = target_state == vm_states.STOPPED or instance.vm_state == vm_states.STOPPED
        self.tracker.instance_claim(instance)
        zone = db_aggregates.host_zones(self.database).get(
            self.host, self.conf.default_availability_zone)
        self._save(instance, {"host": self.host, "node": self.host, "availability_zone": zone,
                              "task_state": task_states.REBUILD_SPAWNING},
                   expected=task_states.REBUILDING)
        image = self.image_cache.prepare(instance.uuid, instance.image_ref)
        if image.downloaded:
            db_cached.record(self.database, self.host, image.id, image.meta.get("size"))
        for boot_image in filter(None, (instance.kernel_id, instance.ramdisk_id)):
            self.image_cache.precache(boot_image)
        self._bind_network_here(instance)
        self.driver.spawn(instance, image=image, network_info=instance.network_info)
        if stopped:
            self.driver.power_off(instance)
        self._save(instance, {
            "vm_state": vm_states.STOPPED if stopped else vm_states.ACTIVE,
            "task_state": None, "power_state": self.driver.get_info(instance),
            "launched_at": utcnow()}, expected=task_states.REBUILD_SPAWNING)

    def destroy_evacuated_instances(self) -> list[str]:
        """At start: what servers evacuated away left here goes. -> their uuids"""
        cleaned = []
        for migration in db_migrations.list_(self.database, {
                "source_compute": self.host, "migration_type": "evacuation"}):
            if migration.status not in ("accepted", "pre-migrating", "done"):
                continue
            try:
                instance = db_instances.get(self.database, migration.instance_uuid)
            except exception.InstanceNotFound:
                instance = None
            if instance is not None and instance.host == self.host:
                continue  # the evacuation has not moved it (yet): nothing to remove
            if migration.status != "done" and instance is not None and \
                    instance.task_state is not None:
                continue  # still under way elsewhere
            LOG.info("Removing the leftovers of instance %s, evacuated from %s",
                     migration.instance_uuid, self.host)
            if instance is not None:
                with contextlib.suppress(Exception):
                    self.driver.destroy(instance)
            self.image_cache.remove_instance(migration.instance_uuid)
            db_migrations.update(self.database, migration.id, {"status": "completed"})
            cleaned.append(migration.instance_uuid)
        return cleaned
