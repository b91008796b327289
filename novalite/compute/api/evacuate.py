"""evacuate: a server whose host is down (or forced down, 2.11) rebuilt on another host
from its image, as Nova's: the conductor chooses the destination (or takes 2.29-2.67's
forced host), the destination spawns it (compute/manager/evacuate.py), and the source
removes its leftovers when it comes back. No lock check, as Nova's: an administrator
rescuing servers from a dead host is not stopped by their owners' locks."""

from novalite import exception
from novalite.compute.api.base import ComputeAPIBase
from novalite.compute.states import task_states, vm_states
from novalite.db import server_migrations as db_migrations
from novalite.db import services as db_services
from novalite.objects.migration import Migration

_EVACUATE_VM_STATES = {vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR}


class EvacuateActions(ComputeAPIBase):
    def evacuate(self, ctxt, instance_id: str, host: str | None = None,
                 force: bool = False, target_state: str | None = None) -> None:
        instance = self._instance_for(ctxt, instance_id, "evacuate",
                                      "os_compute_api:os-evacuate", _EVACUATE_VM_STATES,
                                      check_lock=False, must_have_launched=False,
                                      needs_host=True)
        if host is not None:
            if not db_services.list_(self.database, host=host, binary="novalite-compute"):
                raise exception.ComputeHostNotFound(host=host)
            if host == instance.host:
                raise exception.Invalid("The target host can't be the same one.")
        if self._host_is_up(instance.host):
            raise exception.ComputeServiceInUse(host=instance.host)
        self._start_action(ctxt, instance, "evacuate", task_states.REBUILDING)
        migration = db_migrations.create(self.database, Migration(
            instance_uuid=instance.uuid, migration_type="evacuation", status="accepted",
            source_compute=instance.host, source_node=instance.node, dest_compute=host,
            old_flavor=instance.flavor, new_flavor=instance.flavor, user_id=ctxt.user_id,
            project_id=ctxt.project_id))
        self.compute_task_api.evacuate_instance(ctxt, instance, migration.id, host, force,
                                                target_state)
