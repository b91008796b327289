"""One real guest through the lifecycle actions, over the whole pipeline (the Compute API
with openstacksdk, the conductor, the scheduler, the compute manager, the libvirt driver on
libvirtd), answering on its serial console after every step.

The guest boots from EC2-style images whose machine image has hw_qemu_guest_agent=yes, and
marks its disk; changePassword reaches the tiny guest's stand-in agent; it is paused and
unpaused, suspended and resumed; resized (on this one host) to a flavor with more memory
and a bigger disk, the domain having the new memory and disk, the guest booting its own
disk, confirmed; rescued (the rescue guest boots a fresh disk made from the server's image
and sees the server's disk as its second) and unrescued (its own disk again); shelved (a
<name>-shelved snapshot, offloaded at once: no domain left) and unshelved from that
snapshot (its disk as it left it, the snapshot deleted), where changePassword still reaches
the agent; deleted, leaving no domain and no files."""

import glob
import os
import re
import time
import uuid

import pytest
from openstack import exceptions

from tests.guests import tiny_guest
from tests.guests.conftest import CONNECTION_URI
from tests.guests.test_real_guests import (
    BOOT_DEADLINE,
    _boot,
    _console_changes,
    _domain_exists,
    _wait_idle,
)

GiB = 1024 ** 3
MARK = re.compile(r"disk marked: (%s written by \S+)" % tiny_guest.DISK_MARK)
# >= 96 MiB: the guest kernel hangs at 64.
SMALL = {"ram": 128, "vcpus": 1, "disk": 1}
BIGGER = {"ram": 192, "vcpus": 1, "disk": 2}


@pytest.fixture(scope="module")
def agent_image(guest_cloud, guest_files):
    """The tiny guest's kernel, ramdisk and machine image; the machine image says the
    guest runs the QEMU guest agent (the domain gets its channel)."""
    conn = guest_cloud.connect()
    suffix = uuid.uuid4().hex[:6]
    kernel = conn.image.create_image(
        name="tiny-kernel-" + suffix, filename=guest_files.kernel, disk_format="aki",
        container_format="aki", wait=True)
    ramdisk = conn.image.create_image(
        name="tiny-ramdisk-" + suffix, filename=guest_files.initramfs, disk_format="ari",
        container_format="ari", wait=True)
    machine = conn.image.create_image(
        name="tiny-agent-" + suffix, filename=guest_files.disk, disk_format="ami",
        container_format="ami", wait=True, kernel_id=kernel.id, ramdisk_id=ramdisk.id,
        os_command_line=tiny_guest.CMDLINE, hw_qemu_guest_agent="yes")
    yield machine
    for image in (machine, ramdisk, kernel):
        conn.image.delete_image(image, ignore_missing=True)


@pytest.fixture(scope="module")
def flavors(guest_cloud):
    """(small, bigger): the bigger one has more memory and a bigger root disk."""
    admin = guest_cloud.connect("novalite-admin")
    suffix = uuid.uuid4().hex[:6]
    created = [admin.compute.create_flavor(name="tiny-%s-%s" % (size, suffix), **spec)
               for size, spec in (("small", SMALL), ("bigger", BIGGER))]
    yield created
    for flavor in created:
        admin.compute.delete_flavor(flavor, ignore_missing=True)


def _console(conn, server) -> str:
    return conn.compute.get_server_console_output(server)["output"]


def _console_after(conn, server, before: str, text: str) -> str:
    """What the console printed after `before` (its output before an action) once that
    holds text. A guest started in a new directory (a resize, an unshelve) starts a new
    log: then all of it is new."""
    deadline = time.monotonic() + BOOT_DEADLINE
    while True:
        output = _console(conn, server)
        new = output[len(before):] if output.startswith(before) else output
        if text in new:
            return new
        assert time.monotonic() < deadline, "no %r on the console after the step:\n%s" % (
            text, new)
        time.sleep(1)


def _disk_line(output: str, name: str = "disk") -> str:
    found = re.search(r"^%s: (.*?)\r?$" % name, output, re.MULTILINE)
    assert found, output
    return found.group(1)


def _domain(server_id):
    """(max memory in KiB, root disk capacity in bytes) of the server's libvirt domain."""
    import libvirt  # only here: the module is collected on machines without it

    connection = libvirt.open(CONNECTION_URI)
    try:
        domain = connection.lookupByUUIDString(server_id)
        return domain.maxMemory(), domain.blockInfo("vda")[0]
    finally:
        connection.close()


def _files_of(guest_cloud, server) -> list[str]:
    """What the host keeps for the server: its directory, a resize's <uuid>_resize."""
    return sorted(os.path.basename(path) for path in glob.glob(os.path.join(
        guest_cloud.state_dir, "hosts", "*", server.id + "*")))


def _statuses_until(conn, server, status: str) -> list[str]:
    """The statuses seen (each once, in order) polling until `status`."""
    seen = []
    deadline = time.monotonic() + BOOT_DEADLINE
    while not seen or seen[-1] != status:
        current = conn.compute.get_server(server.id).status
        assert current != "ERROR", seen
        if not seen or seen[-1] != current:
            seen.append(current)
        assert time.monotonic() < deadline, seen
        time.sleep(0.2)
    return seen


def _password_reaches_the_agent(conn, server) -> None:
    """changePassword (202) and the guest's stand-in agent prints the password. Asked
    again while the agent is not connected yet (Nova's 409: libvirt connects to it once
    the guest opened its port)."""
    before = _console(conn, server)
    password = "pw-" + uuid.uuid4().hex[:8]
    deadline = time.monotonic() + 30
    while True:
        try:
            conn.compute.change_server_password(server, password)
            break
        except exceptions.ConflictException:
            assert time.monotonic() < deadline, "the guest agent never answered"
            time.sleep(1)
    _console_after(conn, server, before,
                   "%s root set to %s" % (tiny_guest.AGENT_PASSWORD, password))
    assert _wait_idle(conn, server).status == "ACTIVE"


def test_real_guest_lifecycle(guest_cloud, agent_image, flavors):
    conn = guest_cloud.connect()
    small, bigger = flavors
    server = _boot(conn, "tiny-life-" + uuid.uuid4().hex[:6], agent_image.id, small)
    output = _console_after(conn, server, "", tiny_guest.MARKER)
    assert _disk_line(output) == "empty"  # a fresh overlay over the blank machine image
    found = MARK.search(output)
    assert found, output
    mark = found.group(1)
    assert server.power_state == 1  # RUNNING
    assert _domain(server.id) == (128 * 1024, 1 * GiB)

    # changePassword: through the QEMU guest agent (the image's hw_qemu_guest_agent=yes),
    # whose stand-in in the guest prints what it was asked to set.
    _password_reaches_the_agent(conn, server)

    # Pause freezes the guest (no heartbeat); unpause lets it tick on.
    conn.compute.pause_server(server)
    server = conn.compute.wait_for_server(server, status="PAUSED", wait=BOOT_DEADLINE)
    assert server.power_state == 3  # PAUSED
    frozen = _console(conn, server)
    time.sleep(3)  # more than a heartbeat
    assert _console(conn, server) == frozen
    conn.compute.unpause_server(server)
    server = conn.compute.wait_for_server(server, status="ACTIVE", wait=BOOT_DEADLINE)
    _console_changes(conn, server, frozen)

    # Suspend (managed save) and resume: the same guest ticks on.
    conn.compute.suspend_server(server)
    server = conn.compute.wait_for_server(server, status="SUSPENDED", wait=BOOT_DEADLINE)
    assert server.power_state == 7  # SUSPENDED
    saved = _console(conn, server)
    conn.compute.resume_server(server)
    server = conn.compute.wait_for_server(server, status="ACTIVE", wait=BOOT_DEADLINE)
    _console_changes(conn, server, saved)

    # Resize on this host to more memory and a bigger disk: the guest boots its own disk
    # with both; confirmed, it runs on as it is.
    before = _console(conn, server)
    conn.compute.resize_server(server, bigger.id)
    assert _statuses_until(conn, server, "VERIFY_RESIZE") == ["RESIZE", "VERIFY_RESIZE"]
    server = _wait_idle(conn, server)
    assert server.power_state == 1
    assert server.flavor.ram == BIGGER["ram"] and server.flavor.disk == BIGGER["disk"]
    assert _domain(server.id) == (192 * 1024, 2 * GiB)
    resized = _console_after(conn, server, before, tiny_guest.MARKER)
    assert _disk_line(resized) == mark
    conn.compute.confirm_server_resize(server)
    server = conn.compute.wait_for_server(server, status="ACTIVE", wait=BOOT_DEADLINE)
    server = _wait_idle(conn, server)
    assert server.status == "ACTIVE" and server.flavor.ram == BIGGER["ram"]
    assert server.power_state == 1
    assert _domain(server.id) == (192 * 1024, 2 * GiB)
    assert _files_of(guest_cloud, server) == [server.id]  # nothing kept for a revert
    admin = guest_cloud.connect("novalite-admin")
    [migration] = [m for m in admin.compute.migrations() if m.server_id == server.id]
    assert (migration.migration_type, migration.status) == ("resize", "confirmed")
    assert migration.source_compute == migration.dest_compute  # one host
    output = _console_changes(conn, server, _console(conn, server))
    assert _disk_line(output) == mark

    # Rescue: 200 with the rescue password; the rescue guest boots a fresh disk made from
    # the server's image, and sees the server's disk (its mark) as its second.
    before = _console(conn, server)
    response = conn.compute.post("/servers/%s/action" % server.id, json={"rescue": {}})
    assert response.status_code == 200, response.text
    assert response.json()["adminPass"]
    server = conn.compute.wait_for_server(server, status="RESCUE", wait=BOOT_DEADLINE)
    rescued = _console_after(conn, server, before, tiny_guest.MARKER)
    assert _disk_line(rescued) == "empty"
    assert _disk_line(rescued, "other disk vdb") == mark
    assert _wait_idle(conn, server).power_state == 1

    # Unrescue: its own guest again, booting its own disk, which has no second.
    before = _console(conn, server)
    conn.compute.unrescue_server(server)
    server = conn.compute.wait_for_server(server, status="ACTIVE", wait=BOOT_DEADLINE)
    back = _console_after(conn, server, before, tiny_guest.MARKER)
    assert _disk_line(back) == mark
    assert "other disk" not in back
    server = _wait_idle(conn, server)
    assert server.power_state == 1
    assert not glob.glob(os.path.join(guest_cloud.state_dir, "hosts", "*", server.id,
                                      "*rescue*"))

    # Shelve: snapshotted into <name>-shelved and offloaded at once (shelved_offload_time
    # 0): no domain left on the host.
    conn.compute.shelve_server(server)
    server = conn.compute.wait_for_server(server, status="SHELVED_OFFLOADED",
                                          wait=BOOT_DEADLINE)
    server = _wait_idle(conn, server)
    assert server.status == "SHELVED_OFFLOADED"
    assert server.power_state == 4  # SHUTDOWN, as Nova's offloaded server
    assert not _domain_exists(server.id)
    assert _files_of(guest_cloud, server) == []
    # Nothing runs it: no console (Nova's 409 for a server without a host).
    with pytest.raises(exceptions.ConflictException):
        _console(conn, server)
    shelved = [image for image in conn.image.images()
               if image.name == server.name + "-shelved"]
    assert len(shelved) == 1 and shelved[0].status == "active"

    # Unshelve: spawned again from the shelved snapshot, its disk as it left it (its
    # mark), with the flavor it was resized to; the snapshot is deleted.
    conn.compute.unshelve_server(server)
    server = conn.compute.wait_for_server(server, status="ACTIVE", wait=BOOT_DEADLINE)
    output = _console_after(conn, server, "", tiny_guest.MARKER)
    assert _disk_line(output) == mark
    _console_changes(conn, server, output)
    server = _wait_idle(conn, server)
    assert server.power_state == 1
    assert _domain(server.id) == (192 * 1024, 2 * GiB)
    assert conn.image.find_image(shelved[0].id, ignore_missing=True) is None
    # The guest agent's channel came through the resize, the rescue and the shelve.
    _password_reaches_the_agent(conn, server)

    conn.compute.delete_server(server)
    conn.compute.wait_for_delete(server, wait=BOOT_DEADLINE)
    assert not _domain_exists(server.id)
    assert _files_of(guest_cloud, server) == []
