"""shelve, shelveOffload and unshelve. shelve snapshots the server into `<name>-shelved`
(recorded in system_metadata) and leaves it SHELVED on its host; offloading (at once,
after [DEFAULT] shelved_offload_time, or asked for) frees the host; unshelve goes through
the conductor, which powers a SHELVED server on again or has the scheduler place an
offloaded one (2.77 availability_zone, 2.91 host). Quota stays counted throughout, as
Nova's. The host side is compute/manager/shelve.py."""

from novalite import exception
from novalite.compute.api.snapshots import SnapshotActions
from novalite.compute.states import task_states, vm_states
from novalite.db import instances as db_instances
from novalite.db import services as db_services

_SHELVE_VM_STATES = {vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED,
                     vm_states.SUSPENDED}
_UNSET = object()


class ShelveActions(SnapshotActions):  # a shelve starts with a snapshot
    def shelve(self, ctxt, instance_id: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "shelve",
                                      "os_compute_api:os-shelve:shelve", _SHELVE_VM_STATES)
        self._start_action(ctxt, instance, "shelve", task_states.SHELVING)
        try:
            image = self.images.create(ctxt, self._snapshot_values(
                ctxt, instance, "%s-shelved" % instance.display_name, "snapshot", None,
                None, None))
        except Exception:
            self._clear_task_state(instance, task_states.SHELVING)
            raise
        self.compute_rpc.shelve_instance(ctxt, instance, image.id)

    def shelve_offload(self, ctxt, instance_id: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "shelveOffload",
                                      "os_compute_api:os-shelve:shelve_offload",
                                      {vm_states.SHELVED})
        self._start_action(ctxt, instance, "shelveOffload", task_states.SHELVING_OFFLOADING)
        self.compute_rpc.shelve_offload_instance(ctxt, instance)

    def unshelve(self, ctxt, instance_id: str, availability_zone=_UNSET, host=None) -> None:
        """availability_zone: 2.77's (None unpins the server from its zone); host: 2.91's,
        an administrator's. Both only for a SHELVED_OFFLOADED server."""
        instance = self._instance_for(ctxt, instance_id, "unshelve",
                                      "os_compute_api:os-shelve:unshelve",
                                      {vm_states.SHELVED, vm_states.SHELVED_OFFLOADED})
        az_passed = availability_zone is not _UNSET
        if (az_passed or host) and instance.vm_state != vm_states.SHELVED_OFFLOADED:
            raise exception.UnshelveInstanceInvalidState(instance_uuid=instance.uuid,
                                                         state=instance.vm_state)
        if az_passed and availability_zone and \
                availability_zone not in self.hosts.compute_availability_zones():
            raise exception.Invalid("The requested availability zone is not available")
        zone = availability_zone if az_passed else instance.requested_availability_zone
        if host:
            ctxt.can("os_compute_api:os-shelve:unshelve_to_host",
                     {"project_id": instance.project_id, "user_id": instance.user_id})
            if not db_services.list_(self.database, host=host, binary="novalite-compute"):
                raise exception.ComputeHostNotFound(host=host)
            host_zone = self.hosts.host_zones().get(host, self.conf.default_availability_zone)
            if zone is not None and host_zone != zone:
                raise exception.UnshelveHostNotInAZ(host=host, availability_zone=zone)
        values = {"requested_availability_zone": zone} if az_passed else {}
        self._start_action(ctxt, instance, "unshelve", task_states.UNSHELVING, values=values)
        self.compute_task_api.unshelve_instance(ctxt, instance, host)

    def _clear_task_state(self, instance, expected) -> None:
        db_instances.update(self.database, instance.uuid, {"task_state": None},
                            expected_task_state=[expected])
