"""changePassword: a new administrator password set in the running guest, synchronously
(an RPC call, as Nova's), so the answer says whether the guest took it."""

from novalite.compute.api.base import ComputeAPIBase
from novalite.compute.states import task_states, vm_states


class PasswordActions(ComputeAPIBase):
    def set_admin_password(self, ctxt, instance_id: str, password: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "changePassword",
                                      "os_compute_api:os-admin-password", {vm_states.ACTIVE},
                                      needs_host=True)
        self._start_action(ctxt, instance, "changePassword", task_states.UPDATING_PASSWORD)
        self.compute_rpc.set_admin_password(ctxt, instance, password)
