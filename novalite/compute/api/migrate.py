"""resize, migrate (cold), confirmResize and revertResize. The request is checked here
(flavor, disk, quota on the flavor delta), then cast to the conductor, as Nova's: it
records the migration, has the scheduler choose the destination (none: the server stays
as it was, the failure in its instance action) and starts the hosts' three steps
(compute/manager/migrate.py). The
server waits in VERIFY_RESIZE for a confirm (the source freed) or a revert (back to the
old flavor and host)."""

from novalite import exception
from novalite.compute.api.base import ComputeAPIBase
from novalite.compute.states import task_states, vm_states
from novalite.db import server_migrations as db_migrations
from novalite.db import services as db_services

_MOVE_VM_STATES = {vm_states.ACTIVE, vm_states.STOPPED}


class MigrateActions(ComputeAPIBase):
    def resize(self, ctxt, instance_id: str, flavor_ref: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "resize",
                                      "os_compute_api:servers:resize", _MOVE_VM_STATES,
                                      needs_host=True)
        try:
            flavor = self.flavors.get(ctxt, str(flavor_ref))
        except exception.FlavorNotFound:
            raise exception.Invalid("Unable to locate requested flavor.") from None
        current = instance.flavor
        if flavor.flavorid == current.flavorid:
            raise exception.CannotResizeToSameFlavor()
        if flavor.disabled:
            raise exception.Invalid("Unable to locate requested flavor.")
        if flavor.root_gb == 0 and current.root_gb != 0:
            raise exception.CannotResizeDisk(
                reason="Resize to zero disk flavor is not allowed.")
        self.quota_engine.check_resize(instance.project_id, current, flavor)
        self._move(ctxt, instance, "resize", flavor, None)

    def migrate(self, ctxt, instance_id: str, host: str | None = None) -> None:
        instance = self._instance_for(ctxt, instance_id, "migrate",
                                      "os_compute_api:os-migrate-server:migrate",
                                      _MOVE_VM_STATES, needs_host=True)
        if host is not None:
            ctxt.can("os_compute_api:os-migrate-server:migrate:host",
                     {"project_id": instance.project_id})
            if not db_services.list_(self.database, host=host, binary="novalite-compute"):
                raise exception.ComputeHostNotFound(host=host)
            if host == instance.host:
                raise exception.Invalid("Cannot migrate to the host where the server "
                                        "exists.")
        self._move(ctxt, instance, "migrate", instance.flavor, host)

    def _move(self, ctxt, instance, action, flavor, host) -> None:
        self._start_action(ctxt, instance, action, task_states.RESIZE_PREP,
                           values={"progress": 0})
        self.compute_task_api.migrate_server(ctxt, instance, flavor, host)

    def confirm_resize(self, ctxt, instance_id: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "confirmResize",
                                      "os_compute_api:servers:confirm_resize",
                                      {vm_states.RESIZED}, must_have_launched=False)
        migration = self._finished_migration(instance)
        if not db_migrations.update(self.database, migration.id, {"status": "confirming"},
                                    expected_status="finished"):
            raise exception.InstanceInvalidState(action="confirmResize",
                                                 instance_uuid=instance.uuid,
                                                 attr="migration", state="confirming")
        self._record_action(ctxt, instance, "confirmResize")
        self.compute_rpc.confirm_resize(ctxt, migration.source_compute, instance,
                                        migration.id)

    def revert_resize(self, ctxt, instance_id: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "revertResize",
                                      "os_compute_api:servers:revert_resize",
                                      {vm_states.RESIZED}, must_have_launched=False)
        migration = self._finished_migration(instance)
        # The flavor goes back: no quota check, as Nova (a downsize cannot exceed it).
        self._start_action(ctxt, instance, "revertResize", task_states.RESIZE_REVERTING)
        db_migrations.update(self.database, migration.id, {"status": "reverting"},
                             expected_status="finished")
        self.compute_rpc.revert_resize(ctxt, migration.dest_compute, instance, migration.id)

    def _finished_migration(self, instance):
        found = db_migrations.for_instance(self.database, instance.uuid, status="finished",
                                           types=("resize", "migration"))
        if not found:
            raise exception.Invalid("Instance has not been resized.")
        return found[0]
