"""Real guests under QEMU through the whole pipeline: the Compute API (openstacksdk), the
conductor, the scheduler, the compute manager and the libvirt driver on libvirtd.

One guest boots from EC2-style images (kernel, ramdisk, machine image) with a config drive,
prints what the drive holds and its marker on the serial console, read back through
os-getConsoleOutput, and marks its disk; it is stopped and started again (finding its mark)
soft-rebooted, paused and unpaused, suspended (managed save) and resumed; a
backup-instance of it becomes an image, a second guest boots from that image and finds the
first guest's mark on its disk. Both are deleted and leave no domain behind."""

import base64
import time
import uuid

import pytest

from novalite.client import api as client_api
from tests.guests import tiny_guest
from tests.guests.conftest import CONNECTION_URI

BOOT_DEADLINE = 180  # seconds: software emulation on a shared 2-core machine


@pytest.fixture(scope="module")
def images(guest_cloud, guest_files):
    conn = guest_cloud.connect()
    suffix = uuid.uuid4().hex[:6]
    kernel = conn.image.create_image(
        name="tiny-kernel-" + suffix, filename=guest_files.kernel, disk_format="aki",
        container_format="aki", wait=True)
    ramdisk = conn.image.create_image(
        name="tiny-ramdisk-" + suffix, filename=guest_files.initramfs, disk_format="ari",
        container_format="ari", wait=True)
    machine = conn.image.create_image(
        name="tiny-" + suffix, filename=guest_files.disk, disk_format="ami",
        container_format="ami", wait=True, kernel_id=kernel.id, ramdisk_id=ramdisk.id,
        os_command_line=tiny_guest.CMDLINE)
    yield machine
    for image in (machine, ramdisk, kernel):
        conn.image.delete_image(image, ignore_missing=True)


@pytest.fixture(scope="module")
def flavor(guest_cloud):
    admin = guest_cloud.connect("novalite-admin")
    # >= 96 MiB: the guest kernel hangs at 64.
    created = admin.compute.create_flavor(name="tiny-guest-" + uuid.uuid4().hex[:6],
                                          ram=128, vcpus=1, disk=1)
    yield created
    admin.compute.delete_flavor(created, ignore_missing=True)


def _boot(conn, name, image_id, flavor, **extra):
    server = conn.compute.create_server(name=name, image_id=image_id, flavor_id=flavor.id,
                                        networks="auto", **extra)
    return conn.compute.wait_for_server(server, status="ACTIVE", wait=BOOT_DEADLINE)


def _console_when(conn, server, text):
    """The console output once it contains text (polled through os-getConsoleOutput)."""
    deadline = time.monotonic() + BOOT_DEADLINE
    while True:
        output = conn.compute.get_server_console_output(server)["output"]
        if text in output:
            return output
        assert time.monotonic() < deadline, "no %r on the console:\n%s" % (text, output)
        time.sleep(1)


def _console_changes(conn, server, before):
    """The console once the guest's heartbeat has written past `before` (a restarted QEMU
    starts a new log, so any new tick counts)."""
    deadline = time.monotonic() + BOOT_DEADLINE
    while True:
        output = conn.compute.get_server_console_output(server)["output"]
        if output != before and tiny_guest.TICK in output.replace(before, "", 1):
            return output
        assert time.monotonic() < deadline, "the guest does not tick:\n%s" % output
        time.sleep(1)


def _wait_idle(conn, server):
    deadline = time.monotonic() + BOOT_DEADLINE
    while True:
        server = conn.compute.get_server(server.id)
        if server.task_state is None:
            return server
        assert time.monotonic() < deadline, server.task_state
        time.sleep(0.5)


def _domain_id(server_id) -> int:
    import libvirt

    connection = libvirt.open(CONNECTION_URI)
    try:
        return connection.lookupByUUIDString(server_id).ID()
    finally:
        connection.close()


def _domain_exists(server_id) -> bool:
    import libvirt  # only here: the module is collected on machines without it

    connection = libvirt.open(CONNECTION_URI)
    try:
        connection.lookupByUUIDString(server_id)
        return True
    except libvirt.libvirtError:
        return False
    finally:
        connection.close()


def _has_managed_save(server_id) -> bool:
    import libvirt

    connection = libvirt.open(CONNECTION_URI)
    try:
        return bool(connection.lookupByUUIDString(server_id).hasManagedSaveImage(0))
    finally:
        connection.close()


def test_real_guest_boots_prints_is_backed_up_and_boots_again(guest_cloud, images, flavor):
    conn = guest_cloud.connect()
    keypair = conn.compute.create_keypair(name="tiny-key-" + uuid.uuid4().hex[:6])
    greeting = "hello from user data " + uuid.uuid4().hex[:8]
    first = _boot(conn, "tiny-1", images.id, flavor, config_drive=True,
                  key_name=keypair.name,
                  user_data=base64.b64encode(greeting.encode()).decode())
    assert first.power_state == 1  # RUNNING, as libvirt reports it
    assert _domain_exists(first.id)
    output = _console_when(conn, first, tiny_guest.MARKER)
    assert "disk: empty" in output  # a fresh overlay over the blank machine image
    # What the guest read from its config drive: its identity, key and user data.
    assert '"uuid": "%s"' % first.id in output
    assert keypair.public_key.split()[1] in output
    assert "config drive user_data: " + greeting in output

    # Stop: the ACPI power button, the guest powers itself off; start boots it again with
    # its disk as it left it.
    conn.compute.stop_server(first)
    conn.compute.wait_for_server(first, status="SHUTOFF", wait=BOOT_DEADLINE)
    assert conn.compute.get_server(first.id).power_state == 4  # SHUTDOWN
    conn.compute.start_server(first)
    conn.compute.wait_for_server(first, status="ACTIVE", wait=BOOT_DEADLINE)
    _console_when(conn, first, "disk: %s written by" % tiny_guest.DISK_MARK)

    # A soft reboot: the guest shuts itself down on the ACPI button and is started again,
    # as a new QEMU process (libvirt gives a started domain a new id).
    domain_id = _domain_id(first.id)
    conn.compute.reboot_server(first, "SOFT")
    first = _wait_idle(conn, first)
    assert first.status == "ACTIVE" and first.power_state == 1
    assert _domain_id(first.id) != domain_id

    # Pause freezes the vCPUs (libvirt's suspend): the heartbeat stops. Suspend saves the
    # memory to disk and stops QEMU (managed save); resume restores it, ticking on.
    _console_when(conn, first, tiny_guest.TICK)
    conn.compute.pause_server(first)
    first = conn.compute.wait_for_server(first, status="PAUSED", wait=BOOT_DEADLINE)
    assert first.power_state == 3  # PAUSED
    frozen = conn.compute.get_server_console_output(first)["output"]
    time.sleep(5)  # more than two heartbeats
    assert conn.compute.get_server_console_output(first)["output"] == frozen
    conn.compute.unpause_server(first)
    first = conn.compute.wait_for_server(first, status="ACTIVE", wait=BOOT_DEADLINE)
    assert first.power_state == 1
    _console_changes(conn, first, frozen)
    conn.compute.suspend_server(first)
    first = conn.compute.wait_for_server(first, status="SUSPENDED", wait=BOOT_DEADLINE)
    assert first.power_state == 7  # SUSPENDED: shut off, holding its saved memory
    assert _has_managed_save(first.id)
    saved = conn.compute.get_server_console_output(first)["output"]
    conn.compute.resume_server(first)
    first = conn.compute.wait_for_server(first, status="ACTIVE", wait=BOOT_DEADLINE)
    assert first.power_state == 1 and not _has_managed_save(first.id)
    _console_changes(conn, first, saved)

    backup_id = client_api.backup_instance(conn.compute, first.id, "tiny-backup")
    image = conn.image.wait_for_status(conn.image.get_image(backup_id), status="active",
                                       wait=BOOT_DEADLINE)
    assert image.disk_format == "qcow2"
    assert image.kernel_id == images.kernel_id and image.ramdisk_id == images.ramdisk_id
    assert _wait_idle(conn, first).status == "ACTIVE"  # the guest runs on after the copy

    second = _boot(conn, "tiny-2", image.id, flavor)
    output = _console_when(conn, second, tiny_guest.MARKER)
    assert "disk: %s written by" % tiny_guest.DISK_MARK in output

    assert "config drive" not in output  # the second one asked for none
    for server in (first, second):
        conn.compute.delete_server(server)
    for server in (first, second):
        conn.compute.wait_for_delete(server, wait=BOOT_DEADLINE)
        assert not _domain_exists(server.id)
    conn.image.delete_image(image)
    conn.compute.delete_keypair(keypair)
