"""Administrators' repairs: os-resetState (vm_state back to active or error, task_state
cleared, for a server an interrupted action left behind) and injectNetworkInfo."""

from novalite.compute.api.base import ANY, ComputeAPIBase
from novalite.compute.states import vm_states
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances

_RESET_STATES = {"active": vm_states.ACTIVE, "error": vm_states.ERROR}


class AdminActions(ComputeAPIBase):
    def reset_state(self, ctxt, instance_id: str, state: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "os-resetState",
                                      "os_compute_api:os-admin-actions:reset_state", ANY,
                                      ANY, check_lock=False, must_have_launched=False)
        with self.database.writer() as conn:
            db_actions.start(self.database, ctxt, instance.uuid, "resetState", finished=True,
                             conn=conn)
            db_instances.update(self.database, instance.uuid, {
                "vm_state": _RESET_STATES[state], "task_state": None}, conn=conn)

    def inject_network_info(self, ctxt, instance_id: str) -> None:
        """The guest's network configuration pushed again; novalite's guests read theirs
        from the config drive and DHCP, so the host has nothing to inject: the request is
        checked and recorded, as Nova's drivers without injection do."""
        instance = self._instance_for(ctxt, instance_id, "injectNetworkInfo",
                                      "os_compute_api:os-admin-actions:inject_network_info",
                                      ANY, ANY, must_have_launched=False)
        self._record_action(ctxt, instance, "inject_network_info")
