"""Server status from vm_state/task_state (Nova's _STATE_MAP), and back for the filter."""

import pytest

from novalite.api.compute.status import _STATE_MAP, states_from_status, status_from_state


@pytest.mark.parametrize("vm_state, task_state, status", [
    ("building", None, "BUILD"),
    ("building", "spawning", "BUILD"),
    ("active", None, "ACTIVE"),
    ("active", "powering-off", "ACTIVE"),
    ("active", "deleting", "ACTIVE"),
    ("active", "rebooting", "REBOOT"),
    ("active", "reboot_pending", "REBOOT"),
    ("active", "reboot_started", "REBOOT"),
    ("active", "rebooting_hard", "HARD_REBOOT"),
    ("active", "reboot_pending_hard", "HARD_REBOOT"),
    ("active", "reboot_started_hard", "HARD_REBOOT"),
    ("active", "updating_password", "PASSWORD"),
    ("active", "rebuilding", "REBUILD"),
    ("active", "rebuild_spawning", "REBUILD"),
    ("active", "migrating", "MIGRATING"),
    ("active", "resize_prep", "RESIZE"),
    ("active", "resize_finish", "RESIZE"),
    ("stopped", None, "SHUTOFF"),
    ("stopped", "powering-on", "SHUTOFF"),
    ("stopped", "resize_migrating", "RESIZE"),
    ("stopped", "rebuild_block_device_mapping", "REBUILD"),
    ("resized", None, "VERIFY_RESIZE"),
    ("resized", "resize_reverting", "REVERT_RESIZE"),
    ("paused", None, "PAUSED"),
    ("paused", "migrating", "MIGRATING"),
    ("suspended", None, "SUSPENDED"),
    ("rescued", None, "RESCUE"),
    ("error", None, "ERROR"),
    ("error", "rebuilding", "REBUILD"),
    ("error", "deleting", "ERROR"),
    ("deleted", None, "DELETED"),
    ("deleted", "deleting", "DELETED"),
    ("soft-delete", None, "SOFT_DELETED"),
    ("shelved", None, "SHELVED"),
    ("shelved_offloaded", None, "SHELVED_OFFLOADED"),
    ("something-new", None, "UNKNOWN"),
    (None, None, "UNKNOWN"),
])
def test_status_from_state(vm_state, task_state, status):
    assert status_from_state(vm_state, task_state) == status


@pytest.mark.parametrize("statuses, vm_states, task_states", [
    (["ACTIVE"], ["active"], None),
    (["active"], ["active"], None),  # case does not matter
    ([" SHUTOFF "], ["stopped"], None),
    (["BUILD"], ["building"], None),
    (["ERROR"], ["error"], None),
    (["DELETED"], ["deleted"], None),
    (["REBOOT"], ["active"], ["reboot_pending", "reboot_started", "rebooting"]),
    (["HARD_REBOOT"], ["active"],
     ["reboot_pending_hard", "reboot_started_hard", "rebooting_hard"]),
    (["MIGRATING"], ["active", "paused"], ["migrating"]),
    (["RESIZE"], ["active", "stopped"],
     ["resize_finish", "resize_migrated", "resize_migrating", "resize_prep"]),
    (["REVERT_RESIZE"], ["resized"], ["resize_reverting"]),
    # a default status wins over a task-state one: any task state of those vm_states
    (["ACTIVE", "REBOOT"], ["active"], None),
    (["ACTIVE", "SHUTOFF"], ["active", "stopped"], None),
    (["SIDEWAYS"], [], []),
    ([], [], []),
])
def test_states_from_status(statuses, vm_states, task_states):
    assert states_from_status(statuses) == (vm_states, task_states)


def _every_state():
    for vm_state, task_map in _STATE_MAP.items():
        for task_state in task_map:
            yield vm_state, None if task_state == "default" else task_state


@pytest.mark.parametrize("vm_state, task_state", list(_every_state()))
def test_the_filter_finds_every_state_by_its_status(vm_state, task_state):
    """Filtering by the status a server shows always matches that server."""
    vm_states, task_states = states_from_status([status_from_state(vm_state, task_state)])
    assert vm_state in vm_states
    assert task_states is None or task_state in task_states
