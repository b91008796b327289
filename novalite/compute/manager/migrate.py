"""A resize or cold migration on the hosts, in Nova's steps:

  destination  prep_resize          claim the new flavor, say where the disk goes
  source       resize_instance      power off, move the disk aside, copy it over
  destination  finish_resize        define and start the guest: VERIFY_RESIZE
  source       confirm_resize       remove what was kept aside: ACTIVE (or SHUTOFF)
  destination  revert_resize        or: remove the new guest, and then
  source       finish_revert_resize restore the kept one with the old flavor

The migration row carries the step (pre-migrating, migrating, post-migrating, finished,
confirming/confirmed, reverting/reverted, error). A step that fails before the source's
disk moved puts the server back as it was, with a fault (Nova's InstanceFaultRollback:
e.g. a smaller root disk); later it leaves the server in ERROR. After each step the
tracker recounts the moving server and its migration (resource_tracker.py counts moves in
progress).
"""

import contextlib
import datetime
import logging
import traceback

from novalite import exception
from novalite.compute.manager.base import ManagerBase, _service_context
from novalite.compute.resource_tracker import migration_key
from novalite.compute.states import power_state, task_states, vm_states
from novalite.db import aggregates as db_aggregates
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.db import server_migrations as db_migrations
from novalite.objects.base import utcnow
from novalite.virt import driver as virt_driver

LOG = logging.getLogger(__name__)

_DELETING = {task_states.DELETING, task_states.SOFT_DELETING}
_OLD_VM_STATE = "old_vm_state"  # system_metadata: ACTIVE or STOPPED before the move


class _Rollback(Exception):
    """The move failed with the server intact where it was."""


class MigrateManager(ManagerBase):
    # -- destination ------------------------------------------------------------------------

    def prep_resize(self, ctxt, instance_uuid, migration_id):
        def step(instance, migration):
            try:
                self.tracker.claim(migration_key(migration.id), migration.new_flavor)
            except exception.ComputeResourcesUnavailable as e:
                raise _Rollback(e.message) from e
            for boot_image in filter(None, (instance.kernel_id, instance.ramdisk_id)):
                self.image_cache.precache(boot_image)  # a direct kernel boot's files

        moved = self._move(step, ctxt, instance_uuid, migration_id, "compute_prep_resize")
        if moved:
            instance, migration = moved
            self.compute_rpc.resize_instance(ctxt, migration.source_compute, instance,
                                             migration.id,
                                             self.image_cache.instance_dir(instance.uuid))

    def finish_resize(self, ctxt, instance_uuid, migration_id):
        def step(instance, migration):
            db_migrations.update(self.database, migration.id, {"status": "finished"})
            self._save(instance, {"task_state": task_states.RESIZE_FINISH},
                       expected=task_states.RESIZE_MIGRATED)
            old_vm_state = instance.system_metadata.get(_OLD_VM_STATE, vm_states.ACTIVE)
            instance.flavor = migration.new_flavor
            image = self.image_cache.moved_in(instance.uuid, instance.image_ref)
            self._bind_network_here(instance)
            self.driver.finish_migration(instance, instance.network_info, image,
                                         resize_disk=migration.is_resize,
                                         power_on=old_vm_state != vm_states.STOPPED)
            self._save(instance, {
                "host": self.host, "node": self.host, "availability_zone": self._zone(),
                "flavor": migration.new_flavor, "flavor_id": migration.new_flavor.flavorid,
                "vm_state": vm_states.RESIZED, "task_state": None,
                "power_state": self.driver.get_info(instance)},
                expected=task_states.RESIZE_FINISH)

        self._move(step, ctxt, instance_uuid, migration_id, "compute_finish_resize",
                   notification="instance.resize_finish")

    def revert_resize(self, ctxt, instance_uuid, migration_id):
        def step(instance, migration):
            self.driver.destroy(instance)
            self.image_cache.remove_instance(instance.uuid)
            # The server is the source's again; this host's claim goes with the recount.
            self._save(instance, {"host": migration.source_compute,
                                  "node": migration.source_node},
                       expected=task_states.RESIZE_REVERTING)

        moved = self._move(step, ctxt, instance_uuid, migration_id, "compute_revert_resize",
                           notification="instance.resize_revert")
        if moved:
            instance, migration = moved
            self.compute_rpc.finish_revert_resize(ctxt, migration.source_compute, instance,
                                                  migration.id)

    # -- source -----------------------------------------------------------------------------

    def resize_instance(self, ctxt, instance_uuid, migration_id, dest_dir):
        def step(instance, migration):
            db_migrations.update(self.database, migration.id, {"status": "migrating"})
            self._save(instance, {
                "task_state": task_states.RESIZE_MIGRATING,
                "system_metadata": {**instance.system_metadata,
                                    _OLD_VM_STATE: instance.vm_state}},
                expected=task_states.RESIZE_PREP)
            try:
                self.driver.migrate_disk_and_power_off(instance, migration.new_flavor,
                                                       dest_dir)
            except virt_driver.ResizeError as e:
                if instance.vm_state == vm_states.ACTIVE and \
                        self.driver.get_info(instance) != power_state.RUNNING:
                    with contextlib.suppress(Exception):
                        self.driver.power_on(instance)
                raise _Rollback(str(e)) from e
            db_migrations.update(self.database, migration.id, {"status": "post-migrating"})
            self._save(instance, {"task_state": task_states.RESIZE_MIGRATED},
                       expected=task_states.RESIZE_MIGRATING)

        moved = self._move(step, ctxt, instance_uuid, migration_id, "compute_resize_instance",
                           notification="instance.resize")
        if moved:
            instance, migration = moved
            self.compute_rpc.finish_resize(ctxt, migration.dest_compute, instance,
                                           migration.id)

    def confirm_resize(self, ctxt, instance_uuid, migration_id):
        def step(instance, migration):
            self.driver.confirm_migration(instance)
            db_migrations.update(self.database, migration.id, {"status": "confirmed"})
            if instance.deleted or instance.task_state in _DELETING:
                return  # confirmed on its way out (a delete in VERIFY_RESIZE)
            system_metadata = dict(instance.system_metadata)
            old_vm_state = system_metadata.pop(_OLD_VM_STATE, vm_states.ACTIVE)
            try:
                self._save(instance, {"vm_state": old_vm_state, "task_state": None,
                                      "system_metadata": system_metadata},
                           expected=[None])
            except (exception.InstanceInvalidState, exception.InstanceNotFound):
                # A delete that came in meanwhile needed only the confirm, now done.
                if not self._being_deleted(instance.uuid):
                    raise

        self._move(step, ctxt, instance_uuid, migration_id, "compute_confirm_resize",
                   notification="instance.resize_confirm", read_deleted=True)

    def finish_revert_resize(self, ctxt, instance_uuid, migration_id):
        def step(instance, migration):
            system_metadata = dict(instance.system_metadata)
            old_vm_state = system_metadata.pop(_OLD_VM_STATE, vm_states.ACTIVE)
            instance.flavor = migration.old_flavor
            self._bind_network_here(instance)
            self.driver.finish_revert_migration(instance, instance.network_info,
                                                power_on=old_vm_state != vm_states.STOPPED)
            db_migrations.update(self.database, migration.id, {"status": "reverted"})
            self._save(instance, {
                "host": self.host, "node": self.host, "availability_zone": self._zone(),
                "flavor": migration.old_flavor, "flavor_id": migration.old_flavor.flavorid,
                "vm_state": old_vm_state, "task_state": None,
                "power_state": self.driver.get_info(instance),
                "system_metadata": system_metadata},
                expected=task_states.RESIZE_REVERTING)

        self._move(step, ctxt, instance_uuid, migration_id, "compute_finish_revert_resize",
                   notification="instance.resize_revert")

    # -- the window for confirming ----------------------------------------------------------

    def confirm_expired_resizes(self) -> list[str]:
        """Confirm this host's moves left in VERIFY_RESIZE longer than
        [DEFAULT] resize_confirm_window, as Nova's _poll_unconfirmed_resizes."""
        window = self.conf.resize_confirm_window
        if window <= 0:
            return []
        cutoff = utcnow() - datetime.timedelta(seconds=window)
        confirmed = []
        for migration in db_migrations.finished_before(self.database, self.host, cutoff):
            if not db_migrations.update(self.database, migration.id,
                                        {"status": "confirming"}, expected_status="finished"):
                continue  # confirmed or reverted meanwhile
            LOG.info("Automatically confirming migration %s of instance %s", migration.id,
                     migration.instance_uuid)
            ctxt = _service_context()
            db_actions.start(self.database, ctxt, migration.instance_uuid, "confirmResize")
            self.compute_rpc.confirm_resize(ctxt, migration.source_compute,
                                            db_instances.get(self.database,
                                                             migration.instance_uuid),
                                            migration.id)
            confirmed.append(migration.instance_uuid)
        return confirmed

    # -- helpers ----------------------------------------------------------------------------

    def _being_deleted(self, instance_uuid: str) -> bool:
        try:
            current = db_instances.get(self.database, instance_uuid, read_deleted=True)
        except exception.InstanceNotFound:
            return True
        return current.deleted or current.task_state in _DELETING

    def _zone(self) -> str:
        return db_aggregates.host_zones(self.database).get(
            self.host, self.conf.default_availability_zone)

    def _move(self, step, ctxt, instance_uuid, migration_id, event, notification=None,
              read_deleted=False):
        """step(instance, migration) under the instance's lock, with its event (and
        notification). -> (instance, migration), or None when the server is gone or the
        step failed: a failure ends the migration in error; a _Rollback puts the server
        back as it was, anything else puts it in ERROR; either way with a fault. The
        tracker then counts what the step changed (all of the host after a failure)."""
        with self._instance_lock(instance_uuid):
            migration = db_migrations.get(self.database, migration_id)
            try:
                instance = db_instances.get(self.database, instance_uuid,
                                            read_deleted=read_deleted)
            except exception.InstanceNotFound:
                db_migrations.update(self.database, migration_id, {"status": "error"})
                return None
            db_actions.event_start(self.database, ctxt, instance_uuid, event, self.host)
            if notification:
                self.notifier.info(ctxt, notification + ".start", instance)
            try:
                step(instance, migration)
            except Exception as e:
                self._move_failed(ctxt, instance, migration, event, e)
                self.tracker.update_available_resource()  # whatever the step left
                return None
            self.tracker.update_move(instance, db_migrations.get(self.database, migration_id))
            self._event_finish(ctxt, instance, event, None)
            if notification:
                self.notifier.info(ctxt, notification + ".end", instance)
            return instance, migration

    def _move_failed(self, ctxt, instance, migration, event, error) -> None:
        message = str(error)
        LOG.error("%s of instance %s (migration %s) failed: %s", event, instance.uuid,
                  migration.id, message, exc_info=not isinstance(error, _Rollback))
        db_migrations.update(self.database, migration.id, {"status": "error"})
        details = traceback.format_exc()
        if isinstance(error, _Rollback):
            db_instances.fault_create(self.database, instance.uuid, 500, message,
                                      details=details, host=self.host)
            with contextlib.suppress(exception.InstanceNotFound):
                db_instances.update(self.database, instance.uuid, {"task_state": None})
        else:
            db_instances.set_error(self.database, instance.uuid, 500, message,
                                   details=details, host=self.host)
        self._event_finish(ctxt, instance, event, error)
