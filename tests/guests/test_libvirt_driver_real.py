"""The libvirt driver's own operations on real QEMU guests (qemu:///system, software
emulation), driver to driver: two LibvirtDriver compute hosts of this machine, each with its
instances directory and image cache, booting the tiny guest of tests/guests/tiny_guest.py
as the compute manager would have them (images in the host's _base/, the instance's image
properties in its system_metadata).

What a user relies on: a rescued guest boots the rescue image and sees its own disk as the
second disk, and is itself again after unrescue; a guest resized onto another host boots
there with its disk and the new flavor's memory and vCPUs, the source keeping nothing once
confirmed; a reverted one boots where it was, with the old flavor; the VNC display and the
serial console answer on 127.0.0.1, the console log still fills; a password set through
the guest agent reaches the guest. (The whole pipeline on real guests: test_real_guests.)
"""

import dataclasses
import os
import re
import shutil
import socket
import tempfile
import time
import uuid

import pytest

from novalite import conf as nl_conf
from novalite.compute import image_cache
from novalite.compute.states import power_state
from novalite.objects.flavor import Flavor
from novalite.objects.instance import Instance
from novalite.virt import driver as virt_driver
from tests.guests import tiny_guest
from tests.guests.conftest import CONNECTION_URI, _remove_guests_of

BOOT_DEADLINE = 120  # seconds: software emulation on a shared 2-core machine
# >= 96 MiB: the guest kernel hangs at 64.
SMALL = Flavor(flavorid="r1", name="real.small", vcpus=1, memory_mb=128, root_gb=1)
BIGGER = Flavor(flavorid="r2", name="real.bigger", vcpus=2, memory_mb=192, root_gb=2)
MARK = re.compile(r"disk marked: (%s written by \S+)" % tiny_guest.DISK_MARK)


class Images:
    """The tiny guest's kernel, ramdisk and machine image (EC2-style), and a second
    machine image to rescue with, put in each host's image cache as the compute manager
    does before a spawn (or a finish_migration)."""

    def __init__(self, files):
        self.files = files
        self.kernel, self.ramdisk = str(uuid.uuid4()), str(uuid.uuid4())
        self.machine, self.rescue = str(uuid.uuid4()), str(uuid.uuid4())

    def info(self, drv, image_id=None) -> image_cache.ImageInfo:
        image_id = image_id or self.machine
        base_dir = os.path.join(drv.instances_path, "_base")
        os.makedirs(base_dir, exist_ok=True)
        for name, source in ((self.kernel, self.files.kernel),
                             (self.ramdisk, self.files.initramfs), (image_id, self.files.disk)):
            if not os.path.exists(os.path.join(base_dir, name)):
                shutil.copyfile(source, os.path.join(base_dir, name))
        meta = {"disk_format": "ami", "kernel_id": self.kernel, "ramdisk_id": self.ramdisk,
                "os_command_line": tiny_guest.CMDLINE}
        return image_cache.ImageInfo(id=image_id, meta=meta,
                                     base_path=os.path.join(base_dir, image_id),
                                     disk_path=os.path.join(drv.instances_path, "x"))

    def moved_in(self, drv) -> image_cache.ImageInfo:
        """What a migration's destination gets (image_cache.moved_in): the machine image's
        metadata but no base file, which only a host that ran the image has; the kernel and
        ramdisk are cached (prep_resize precaches them)."""
        info = self.info(drv)
        os.unlink(info.base_path)
        return dataclasses.replace(info, base_path="")


@pytest.fixture(scope="module")
def world(guest_files):
    """(source driver, destination driver, images)"""
    # libvirt runs QEMU as its own user: the directories must be reachable by it, which
    # pytest's private temporary directories are not.
    state = tempfile.mkdtemp(prefix="novalite-driver-")
    os.chmod(state, 0o755)
    conf = nl_conf.new_conf()
    conf.set_override("state_path", state)
    conf.set_override("connection_uri", CONNECTION_URI, group="libvirt")
    conf.set_override("shutdown_timeout", 20, group="libvirt")
    from novalite.virt.libvirt.driver import LibvirtDriver  # needs libvirt-python

    suffix = uuid.uuid4().hex[:6]
    drivers = [LibvirtDriver(conf, "real-src-" + suffix),
               LibvirtDriver(conf, "real-dst-" + suffix)]
    yield drivers[0], drivers[1], Images(guest_files)
    for drv in drivers:
        drv.cleanup_host()
    _remove_guests_of(state)
    shutil.rmtree(state, ignore_errors=True)


def _spawn(drv, images, flavor=SMALL) -> Instance:
    instance = Instance(
        uuid=str(uuid.uuid4()), project_id="p", user_id="u", display_name="real",
        flavor=flavor, host=drv.host, kernel_id=images.kernel, ramdisk_id=images.ramdisk,
        system_metadata={"image_hw_qemu_guest_agent": "yes",
                         "image_os_command_line": tiny_guest.CMDLINE})
    drv.spawn(instance, images.info(drv), [])
    return instance


def _console_after(drv, instance, offset: int, text: str) -> str:
    """The console log past `offset` (its length before an action) once it holds text."""
    deadline = time.monotonic() + BOOT_DEADLINE
    while True:
        output = drv.get_console_output(instance)[offset:]
        if text in output:
            return output
        assert time.monotonic() < deadline, "no %r on the console:\n%s" % (text, output)
        time.sleep(0.3)


def _booted(drv, instance, offset: int = 0) -> str:
    return _console_after(drv, instance, offset, tiny_guest.MARKER)


def _mark(output: str) -> str:
    found = MARK.search(output)
    assert found, output
    return found.group(1)


def _disk_line(output: str, name: str = "disk") -> str:
    found = re.search(r"^%s: (.*?)\r?$" % name, output, re.MULTILINE)
    assert found, output
    return found.group(1)


def test_rescue_unrescue_and_the_consoles_of_a_real_guest(world):
    src, _, images = world
    instance = _spawn(src, images)
    output = _booted(src, instance)
    assert _disk_line(output) == "empty"
    mark = _mark(output)

    # VNC on 127.0.0.1: an RFB server greets first.
    host, port = src.get_vnc_console(instance)
    assert host == "127.0.0.1"
    with socket.create_connection((host, port), timeout=10) as vnc:
        assert vnc.recv(12) == b"RFB 003.008\n"
    # The serial console as a TCP socket: the guest's heartbeat comes through it...
    host, port = src.get_serial_console(instance)
    assert host == "127.0.0.1"
    with socket.create_connection((host, port), timeout=10) as serial:
        received = b""
        deadline = time.monotonic() + 30
        while tiny_guest.TICK.encode() not in received:
            assert time.monotonic() < deadline, received
            received += serial.recv(4096)
    # ...while the console log still fills (get_console_output).
    _console_after(src, instance, len(output), tiny_guest.TICK)

    # The password, through the guest agent (the tiny guest's stand-in prints it).
    offset = len(src.get_console_output(instance))
    password = "pw-" + uuid.uuid4().hex[:8]
    deadline = time.monotonic() + 30
    while True:
        try:
            src.set_admin_password(instance, password)
            break
        except virt_driver.AgentNotEnabled:  # the agent not connected yet
            assert time.monotonic() < deadline
            time.sleep(0.5)
    _console_after(src, instance, offset,
                   "%s root set to %s" % (tiny_guest.AGENT_PASSWORD, password))

    # Rescue: a fresh rescue disk first, the instance's own disk (its mark) second.
    offset = len(src.get_console_output(instance))
    src.rescue(instance, images.info(src, images.rescue), "rescue-pw", [])
    assert src.get_info(instance) == power_state.RUNNING
    rescued = _booted(src, instance, offset)
    assert _disk_line(rescued) == "empty"
    assert _mark(rescued) != mark  # the rescue disk's own, new mark
    assert _disk_line(rescued, "other disk vdb") == mark

    # Unrescue: the instance's own guest again, booting its disk, which has no second.
    offset = len(src.get_console_output(instance))
    src.unrescue(instance)
    assert src.get_info(instance) == power_state.RUNNING
    back = _booted(src, instance, offset)
    assert _disk_line(back) == mark
    assert "other disk" not in back
    assert not os.path.exists(os.path.join(src._dir(instance), "disk.rescue"))
    src.destroy(instance)


def test_cold_migration_to_another_host_with_more_memory_and_vcpus(world):
    src, dst, images = world
    instance = _spawn(src, images)
    mark = _mark(_booted(src, instance))
    dest_dir = os.path.join(dst.instances_path, instance.uuid)

    src.migrate_disk_and_power_off(instance, BIGGER, dest_dir)
    assert src.get_info(instance) == power_state.NOSTATE
    instance.flavor = BIGGER
    dst.finish_migration(instance, [], images.moved_in(dst), resize_disk=True,
                         power_on=True)
    domain = dst.libvirt_host.lookup(instance.uuid)
    assert domain.maxMemory() == 192 * 1024
    assert domain.info()[3] == 2  # vCPUs
    # The guest boots on the destination, from its own disk.
    assert _disk_line(_booted(dst, instance)) == mark
    assert instance.uuid in dst.list_instances()
    assert instance.uuid not in src.list_instances()

    instance.host = dst.host
    src.confirm_migration(instance)
    assert not os.path.exists(src._dir(instance) + "_resize")
    assert not os.path.exists(src._dir(instance))
    assert dst.get_info(instance) == power_state.RUNNING
    dst.destroy(instance)


def test_a_reverted_migration_boots_where_it_was_with_the_old_flavor(world):
    src, dst, images = world
    instance = _spawn(src, images)
    first = _booted(src, instance)
    mark = _mark(first)
    src.migrate_disk_and_power_off(instance, BIGGER, os.path.join(dst.instances_path,
                                                                  instance.uuid))
    instance.flavor = BIGGER
    dst.finish_migration(instance, [], images.info(dst), resize_disk=True, power_on=False)
    assert dst.get_info(instance) == power_state.SHUTDOWN

    dst.destroy(instance)  # the compute manager's revert_resize on the destination
    instance.flavor = SMALL
    src.finish_revert_migration(instance, [], power_on=True)
    domain = src.libvirt_host.lookup(instance.uuid)
    assert domain.maxMemory() == 128 * 1024 and domain.info()[3] == 1
    assert src.get_info(instance) == power_state.RUNNING
    # The console log came back with the directory: the new boot is after the first.
    back = _booted(src, instance, len(first))
    assert _disk_line(back) == mark
    assert not os.path.exists(os.path.join(dst.instances_path, instance.uuid))
    src.destroy(instance)
