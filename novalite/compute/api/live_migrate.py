"""os-migrateLive, and steering a live migration in progress (force_complete, abort).
The conductor chooses (or, with 2.30-2.67's force, takes) the destination; the source
host then moves the running guest (compute/manager/live_migrate.py). From 2.34 the call
is asynchronous, as Nova's: a failed check is the action's fault, not the answer."""

from novalite import exception
from novalite.compute.api.migrations import MigrationsAPI
from novalite.compute.states import task_states, vm_states
from novalite.db import services as db_services


class LiveMigrateActions(MigrationsAPI):
    def live_migrate(self, ctxt, instance_id: str, host: str | None, block_migration,
                     force: bool = False, async_: bool = True) -> None:
        instance = self._instance_for(ctxt, instance_id, "os-migrateLive",
                                      "os_compute_api:os-migrate-server:migrate_live",
                                      {vm_states.ACTIVE, vm_states.PAUSED},
                                      needs_host=True)
        if host is not None:
            if not db_services.list_(self.database, host=host, binary="novalite-compute"):
                raise exception.ComputeHostNotFound(host=host)
            if host == instance.host:
                raise exception.Invalid("Unable to migrate instance (%s) to current host "
                                        "(%s)." % (instance.uuid, host))
        self._start_action(ctxt, instance, "live-migration", task_states.MIGRATING)
        try:
            self.compute_task_api.live_migrate_instance(
                ctxt, instance, host, block_migration, force, async_)
        except (exception.NoValidHost, exception.MigrationPreCheckError) as e:
            raise exception.Invalid(getattr(e, "message", None) or str(e)) from None

    def live_migrate_force_complete(self, ctxt, instance_id: str, migration_id: int) -> None:
        instance, migration = self.server_migration(
            ctxt, instance_id, migration_id, "os_compute_api:servers:migrations:force_complete")
        self._check_lock(ctxt, instance)
        self._check_state(instance, "force_complete", {vm_states.ACTIVE},
                          {task_states.MIGRATING})
        if migration.status != "running":
            raise exception.Invalid("Migration %d state of instance %s is %s. Cannot "
                                    "force_complete while the migration is in this state."
                                    % (migration.id, instance.uuid, migration.status))
        self._record_action(ctxt, instance, "live_migration_force_complete")
        self.compute_rpc.live_migration_force_complete(ctxt, migration.source_compute,
                                                       instance, migration.id)

    def live_migrate_abort(self, ctxt, instance_id: str, migration_id: int) -> None:
        instance, migration = self.server_migration(
            ctxt, instance_id, migration_id, "os_compute_api:servers:migrations:delete")
        self._check_lock(ctxt, instance)
        self._check_state(instance, "abort live migration", {vm_states.ACTIVE,
                                                             vm_states.PAUSED},
                          {task_states.MIGRATING})
        if migration.status not in ("queued", "preparing", "running"):
            raise exception.Invalid("Migration %d state of instance %s is %s. Cannot abort "
                                    "live migration while the migration is in this state."
                                    % (migration.id, instance.uuid, migration.status))
        self._record_action(ctxt, instance, "live_migration_cancel")
        self.compute_rpc.live_migration_abort(ctxt, migration.source_compute, instance,
                                              migration.id)

    def _check_lock(self, ctxt, instance) -> None:
        if instance.locked and not ctxt.is_admin:
            raise exception.InstanceIsLocked(instance_uuid=instance.uuid)
