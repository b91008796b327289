"""Nova's vm_state/task_state as EC2 instance states. Only EC2's six names are used: boto3
waiters compare names exactly (instance_running fails on stopping, shutting-down and
terminated; instance_stopped fails on pending and terminated)."""

from novalite.compute.states import task_states, vm_states

PENDING = (0, "pending")
RUNNING = (16, "running")
SHUTTING_DOWN = (32, "shutting-down")
TERMINATED = (48, "terminated")
STOPPING = (64, "stopping")
STOPPED = (80, "stopped")

NAMES = {name: code for code, name in (PENDING, RUNNING, SHUTTING_DOWN, TERMINATED,
                                       STOPPING, STOPPED)}

_BY_VM_STATE = {
    vm_states.BUILDING: PENDING,
    vm_states.ACTIVE: RUNNING,
    vm_states.RESCUED: RUNNING,
    vm_states.RESIZED: RUNNING,
    vm_states.STOPPED: STOPPED,
    vm_states.PAUSED: STOPPED,
    vm_states.SUSPENDED: STOPPED,
    vm_states.SHELVED: STOPPED,
    vm_states.SHELVED_OFFLOADED: STOPPED,
    vm_states.SOFT_DELETED: TERMINATED,
    vm_states.DELETED: TERMINATED,
}


def ec2_state(vm_state: str | None, task_state: str | None, deleted: bool = False,
              launched: bool = True) -> tuple[int, str]:
    """(code, name). An instance in ERROR that never ran is 'terminated', as an EC2 launch
    that failed; one that ran before is 'stopped'."""
    if deleted or vm_state == vm_states.DELETED:
        return TERMINATED
    if task_state == task_states.DELETING:
        return SHUTTING_DOWN
    if task_state == task_states.POWERING_OFF:
        return STOPPING
    if task_state == task_states.POWERING_ON:
        return PENDING
    if vm_state == vm_states.ERROR:
        return STOPPED if launched else TERMINATED
    return _BY_VM_STATE.get(vm_state, PENDING)
