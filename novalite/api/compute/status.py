"""Server status from vm_state and task_state, and back (for the status filter), exactly as
Nova's api/openstack/common.py maps them."""

_STATE_MAP = {
    "active": {
        "default": "ACTIVE",
        "rebooting": "REBOOT", "reboot_pending": "REBOOT", "reboot_started": "REBOOT",
        "rebooting_hard": "HARD_REBOOT", "reboot_pending_hard": "HARD_REBOOT",
        "reboot_started_hard": "HARD_REBOOT",
        "updating_password": "PASSWORD",
        "rebuilding": "REBUILD", "rebuild_block_device_mapping": "REBUILD",
        "rebuild_spawning": "REBUILD",
        "migrating": "MIGRATING",
        "resize_prep": "RESIZE", "resize_migrating": "RESIZE", "resize_migrated": "RESIZE",
        "resize_finish": "RESIZE",
    },
    "building": {"default": "BUILD"},
    "stopped": {
        "default": "SHUTOFF",
        "resize_prep": "RESIZE", "resize_migrating": "RESIZE", "resize_migrated": "RESIZE",
        "resize_finish": "RESIZE",
        "rebuilding": "REBUILD", "rebuild_block_device_mapping": "REBUILD",
        "rebuild_spawning": "REBUILD",
    },
    "resized": {"default": "VERIFY_RESIZE", "resize_reverting": "REVERT_RESIZE"},
    "paused": {"default": "PAUSED", "migrating": "MIGRATING"},
    "suspended": {"default": "SUSPENDED"},
    "rescued": {"default": "RESCUE"},
    "error": {
        "default": "ERROR",
        "rebuilding": "REBUILD", "rebuild_block_device_mapping": "REBUILD",
        "rebuild_spawning": "REBUILD",
    },
    "deleted": {"default": "DELETED"},
    "soft-delete": {"default": "SOFT_DELETED"},
    "shelved": {"default": "SHELVED"},
    "shelved_offloaded": {"default": "SHELVED_OFFLOADED"},
}


def status_from_state(vm_state: str | None, task_state: str | None = None) -> str:
    task_map = _STATE_MAP.get(vm_state, {"default": "UNKNOWN"})
    status = task_map.get(task_state, task_map["default"])
    if status == "UNKNOWN":
        return "UNKNOWN"
    return status


def states_from_status(statuses: list[str]) -> tuple[list[str], list | None]:
    """(vm_states, task_states or None for any) for a status filter, as Nova: a status that
    is a vm_state's default matches every task state of that vm_state."""
    wanted = {s.strip().upper() for s in statuses}
    vm_states, task_states = set(), set()
    for vm_state, task_map in _STATE_MAP.items():
        for task_state, mapped in task_map.items():
            if mapped in wanted:
                vm_states.add(vm_state)
                task_states.add(task_state)
    if "default" in task_states:
        return sorted(vm_states), None
    return sorted(vm_states), sorted(task_states)
