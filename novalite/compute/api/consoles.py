"""Consoles: the console log (os-getConsoleOutput) now; the remote consoles (VNC, serial)
with their one-time tokens join this family."""

from novalite import exception
from novalite.compute.api.base import ComputeAPIBase
from novalite.compute.states import task_states, vm_states

# A console exists while the server has a guest (running or stopped), as Nova.
_CONSOLE_VM_STATES = {vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED,
                      vm_states.SUSPENDED, vm_states.RESCUED, vm_states.RESIZED}


class ConsoleActions(ComputeAPIBase):
    def get_console_output(self, ctxt, instance_id: str, tail_length: int | None = None
                           ) -> str:
        """The server's console output, its last `tail_length` lines (None: all). The
        server must be on a host with a guest (Nova's 409 otherwise)."""
        instance = self.get(ctxt, instance_id)
        ctxt.can("os_compute_api:os-console-output", {"project_id": instance.project_id})
        self._check_state(instance, "get_console_output", _CONSOLE_VM_STATES,
                          {instance.task_state} - {task_states.DELETING})
        if instance.host is None:
            raise exception.InstanceInvalidState(
                action="get_console_output", instance_uuid=instance.uuid, attr="host",
                state="None")
        return self.compute_rpc.get_console_output(ctxt, instance, tail_length)
