"""A live migration on the hosts, driven by the source:

  source       live_migration                 preparing -> running -> completed
  destination  pre_live_migration             (a call) claim the flavor, give its dir
  source       driver.live_migration          the guest moves while it runs; progress
                                              is written to the migration row
  source       driver.post_live_migration     the source's leftovers removed
  destination  post_live_migration_at_destination  (a call) the server is this host's

An abort (DELETE, 2.24) or force_complete (2.22) reaches the source while the copy runs:
the driver stops it (status cancelled) or finishes it at once. A failure leaves the
server running on the source, with a fault; the destination's claim and files go
(rollback_live_migration_at_destination)."""

import logging
import traceback

import oslo_messaging as messaging

from novalite import exception
from novalite.compute.manager.base import ManagerBase
from novalite.compute.resource_tracker import migration_key
from novalite.compute.states import task_states
from novalite.db import aggregates as db_aggregates
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.db import server_migrations as db_migrations
from novalite.virt import driver as virt_driver

LOG = logging.getLogger(__name__)

_EVENT = "compute_live_migration"


class LiveMigrateManager(ManagerBase):
    # -- source -----------------------------------------------------------------------------

    def live_migration(self, ctxt, instance_uuid, migration_id, dest, block_migration=None):
        try:
            instance = db_instances.get(self.database, instance_uuid)
        except exception.InstanceNotFound:
            db_migrations.update(self.database, migration_id, {"status": "error"})
            return
        db_actions.event_start(self.database, ctxt, instance_uuid, _EVENT, self.host)
        self.notifier.info(ctxt, "instance.live_migration_pre.start", instance)
        # Not under the instance's lock: an abort or force_complete must reach the driver
        # while the copy runs (the task_state MIGRATING keeps other actions out).
        try:
            db_migrations.update(self.database, migration_id, {"status": "preparing"},
                                 expected_status=["queued", "accepted"])
            dest_dir = self.compute_rpc.pre_live_migration(ctxt, dest, instance,
                                                           migration_id)
            if not db_migrations.update(self.database, migration_id, {"status": "running"},
                                        expected_status="preparing"):
                raise virt_driver.LiveMigrationAborted("aborted before it started")
            self.driver.live_migration(instance, dest, dest_dir, bool(block_migration),
                                       self._progress(migration_id))
        except Exception as e:
            self._live_migration_failed(ctxt, instance, migration_id, dest, e)
            return
        with self._instance_lock(instance_uuid):
            self.driver.post_live_migration(instance)
            self.image_cache.remove_instance(instance.uuid)
            db_migrations.update(self.database, migration_id, {"status": "post-migrating"})
            self.compute_rpc.post_live_migration_at_destination(ctxt, dest, instance,
                                                                migration_id)
            self.tracker.update_available_resource()
        self._event_finish(ctxt, instance, _EVENT, None)
        self.notifier.info(ctxt, "instance.live_migration_post.end", instance)

    def _progress(self, migration_id):
        def report(memory_total, memory_processed, memory_remaining, disk_total,
                   disk_processed, disk_remaining):
            db_migrations.update(self.database, migration_id, {
                "memory_total": memory_total, "memory_processed": memory_processed,
                "memory_remaining": memory_remaining, "disk_total": disk_total,
                "disk_processed": disk_processed, "disk_remaining": disk_remaining})
        return report

    def _live_migration_failed(self, ctxt, instance, migration_id, dest, error) -> None:
        aborted = isinstance(error, virt_driver.LiveMigrationAborted)
        LOG.log(logging.INFO if aborted else logging.ERROR,
                "Live migration of instance %s to %s %s: %s", instance.uuid, dest,
                "aborted" if aborted else "failed", error)
        db_migrations.update(self.database, migration_id,
                             {"status": "cancelled" if aborted else "error"})
        if not aborted:
            db_instances.fault_create(self.database, instance.uuid, 500, str(error),
                                      details=traceback.format_exc(), host=self.host)
        db_instances.update(self.database, instance.uuid, {
            "task_state": None, "power_state": self.driver.get_info(instance)})
        self._event_finish(ctxt, instance, _EVENT, error)
        self.compute_rpc.rollback_live_migration_at_destination(ctxt, dest, instance,
                                                                migration_id)

    def live_migration_abort(self, ctxt, instance_uuid, migration_id):
        instance = db_instances.get(self.database, instance_uuid)
        # Before the copy starts, the status alone stops it (live_migration checks it).
        if not db_migrations.update(self.database, migration_id, {"status": "cancelled"},
                                    expected_status=["queued", "preparing"]):
            self.driver.live_migration_abort(instance)

    def live_migration_force_complete(self, ctxt, instance_uuid, migration_id):
        self.driver.live_migration_force_complete(db_instances.get(self.database,
                                                                   instance_uuid))

    # -- the checks before (a call from the conductor to the destination, which asks the
    # source in turn, as Nova's check_can_live_migrate_destination/_source) ---------------

    @messaging.expected_exceptions(exception.MigrationPreCheckError)
    def check_can_live_migrate_destination(self, ctxt, instance_uuid) -> None:
        self._check_can_live_migrate("destination")
        instance = db_instances.get(self.database, instance_uuid)
        self.compute_rpc.check_can_live_migrate_source(ctxt, instance.host, instance)

    @messaging.expected_exceptions(exception.MigrationPreCheckError)
    def check_can_live_migrate_source(self, ctxt, instance_uuid) -> None:
        self._check_can_live_migrate("source")

    def _check_can_live_migrate(self, role: str) -> None:
        if not self.driver.supports_live_migration:
            raise exception.MigrationPreCheckError(
                reason="the %s host %s runs the %s driver, which cannot live-migrate "
                       "servers" % (role, self.host, self.driver.hypervisor_type))

    # -- destination ------------------------------------------------------------------------

    def pre_live_migration(self, ctxt, instance_uuid, migration_id) -> str:
        instance = db_instances.get(self.database, instance_uuid)
        self.tracker.claim(migration_key(migration_id), instance.flavor)
        for boot_image in filter(None, (instance.kernel_id, instance.ramdisk_id)):
            self.image_cache.precache(boot_image)
        self.driver.pre_live_migration(instance, instance.network_info)
        return self.image_cache.instance_dir(instance.uuid)

    def post_live_migration_at_destination(self, ctxt, instance_uuid, migration_id):
        with self._instance_lock(instance_uuid):
            instance = db_instances.get(self.database, instance_uuid)
            self._bind_network_here(instance)
            self.driver.post_live_migration_at_destination(instance, instance.network_info)
            zone = db_aggregates.host_zones(self.database).get(
                self.host, self.conf.default_availability_zone)
            db_instances.update(self.database, instance_uuid, {
                "host": self.host, "node": self.host, "availability_zone": zone,
                "task_state": None, "power_state": self.driver.get_info(instance)},
                expected_task_state=[task_states.MIGRATING])
            db_migrations.update(self.database, migration_id, {"status": "completed"})
            self.tracker.update_available_resource()

    def rollback_live_migration_at_destination(self, ctxt, instance_uuid, migration_id):
        with self._instance_lock(instance_uuid):
            try:
                instance = db_instances.get(self.database, instance_uuid)
            except exception.InstanceNotFound:
                instance = None
            if instance is not None and instance.host != self.host:
                try:
                    self.driver.destroy(instance)
                except Exception:
                    LOG.exception("Cleaning up the live migration of %s", instance_uuid)
                self.image_cache.remove_instance(instance_uuid)
            self.tracker.update_available_resource()
