"""The power family: reboot, stop/start, pause/unpause, suspend/resume and
trigger_crash_dump. Each checks Nova's states, moves the task_state and casts to the host
(compute/manager/power.py), which sets the final vm_state."""

from novalite.compute.api.base import ComputeAPIBase
from novalite.compute.states import task_states, vm_states

# Nova's ALLOW_SOFT_REBOOT / ALLOW_HARD_REBOOT and task_states.ALLOW_REBOOT: a hard reboot
# is the way out of a stuck soft reboot or pause/suspend.
_HARD_REBOOT_TASKS = {None, task_states.REBOOTING, task_states.REBOOT_PENDING,
                      task_states.REBOOT_STARTED, task_states.RESUMING,
                      task_states.REBOOTING_HARD, task_states.UNPAUSING, task_states.PAUSING,
                      task_states.SUSPENDING}
_REBOOT_STATES = {"SOFT": ({vm_states.ACTIVE}, {None}),
                  "HARD": ({vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED,
                            vm_states.SUSPENDED, vm_states.ERROR}, _HARD_REBOOT_TASKS)}
_CRASH_DUMP_VM_STATES = {vm_states.ACTIVE, vm_states.PAUSED, vm_states.RESCUED,
                         vm_states.RESIZED, vm_states.ERROR}

# action -> (policy rule, vm_states it starts from, task_state while it runs)
_SIMPLE = {
    "pause": ("os_compute_api:os-pause-server:pause", {vm_states.ACTIVE},
              task_states.PAUSING),
    "unpause": ("os_compute_api:os-pause-server:unpause", {vm_states.PAUSED},
                task_states.UNPAUSING),
    "suspend": ("os_compute_api:os-suspend-server:suspend", {vm_states.ACTIVE},
                task_states.SUSPENDING),
    "resume": ("os_compute_api:os-suspend-server:resume", {vm_states.SUSPENDED},
               task_states.RESUMING),
}


class PowerActions(ComputeAPIBase):
    def reboot(self, ctxt, instance_id: str, reboot_type: str) -> None:
        vm_ok, task_ok = _REBOOT_STATES[reboot_type]
        instance = self._instance_for(ctxt, instance_id, "reboot",
                                      "os_compute_api:servers:reboot", vm_ok, task_ok)
        task = task_states.REBOOTING_HARD if reboot_type == "HARD" else task_states.REBOOTING
        self._start_action(ctxt, instance, "reboot", task, task_ok)
        self.compute_rpc.reboot_instance(ctxt, instance, reboot_type)

    def stop(self, ctxt, instance_id: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "stop", "os_compute_api:servers:stop",
                                      {vm_states.ACTIVE, vm_states.ERROR}, needs_host=True)
        self._start_action(ctxt, instance, "stop", task_states.POWERING_OFF)
        self.compute_rpc.stop_instance(ctxt, instance)

    def start(self, ctxt, instance_id: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "start",
                                      "os_compute_api:servers:start", {vm_states.STOPPED},
                                      needs_host=True)
        self._start_action(ctxt, instance, "start", task_states.POWERING_ON)
        self.compute_rpc.start_instance(ctxt, instance)

    def _simple_power_action(self, ctxt, instance_id: str, action: str) -> None:
        rule, vm_ok, task_state = _SIMPLE[action]
        instance = self._instance_for(ctxt, instance_id, action, rule, vm_ok, needs_host=True)
        self._start_action(ctxt, instance, action, task_state)
        self.compute_rpc.power_action(ctxt, instance, action)

    def pause(self, ctxt, instance_id: str) -> None:
        self._simple_power_action(ctxt, instance_id, "pause")

    def unpause(self, ctxt, instance_id: str) -> None:
        self._simple_power_action(ctxt, instance_id, "unpause")

    def suspend(self, ctxt, instance_id: str) -> None:
        self._simple_power_action(ctxt, instance_id, "suspend")

    def resume(self, ctxt, instance_id: str) -> None:
        self._simple_power_action(ctxt, instance_id, "resume")

    def trigger_crash_dump(self, ctxt, instance_id: str) -> None:
        """An NMI to the guest (2.17); no task_state: the guest's kernel does the rest."""
        instance = self._instance_for(ctxt, instance_id, "trigger_crash_dump",
                                      "os_compute_api:servers:trigger_crash_dump",
                                      _CRASH_DUMP_VM_STATES, needs_host=True)
        self._record_action(ctxt, instance, "trigger_crash_dump")
        self.compute_rpc.trigger_crash_dump(ctxt, instance)
