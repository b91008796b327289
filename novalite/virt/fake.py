"""The fake driver: guests are entries in a dict, with power states and no real work.

Capacity comes from [fake] options; spawns can be slowed ([fake] spawn_delay) or made to fail
on chosen hosts ([fake] fail_spawn_hosts) to exercise reschedules; every other operation
can be slowed too ([fake] operation_delays, e.g. pause:0.5), so tests and benchmarks see
the transitional task states.
"""

import contextlib
import os
import shutil
import subprocess
import threading
import time

from novalite.compute import image_cache
from novalite.compute.states import power_state, task_states
from novalite.virt import driver


class FakeGuest:
    def __init__(self, uuid: str, memory_mb: int, vcpus: int, image=None):
        self.uuid = uuid
        self.image = image  # what spawn was given (None for guests found at init_host)
        self.memory_mb = memory_mb
        self.vcpus = vcpus
        self.state = power_state.RUNNING
        self.config_drive = False  # whether spawn "attached" one
        self.crash_dumps = 0  # NMIs received
        self.rescue_image = None  # the ImageInfo it is rescued with, if it is
        self.admin_password = None  # the last one set (changePassword)
        self.vifs: list[dict] = []  # the VIFs plugged in (spawn's, then os-interface's)


class FakeDriver(driver.ComputeDriver):
    hypervisor_type = "fake"
    supports_live_migration = True
    supports_attach_interface = True

    def __init__(self, conf, host: str):
        super().__init__(conf, host)
        self.guests: dict[str, FakeGuest] = {}
        # Guests migrated (or resized) away, kept for a revert until confirmed.
        self.resizing: dict[str, FakeGuest] = {}
        self._live: dict[str, set] = {}  # live migrations under way: abort/force flags
        self._lock = threading.Lock()
        self.instances_path = image_cache.host_path(conf, host)

    def init_host(self, instances):
        # The fake hypervisor "survives" a compute restart, as a real one would: guests of
        # instances that were running or stopped are still there.
        with self._lock:
            for instance in instances:
                if instance.vm_state in ("active", "stopped", "paused", "suspended",
                                         "soft-delete", "rescued", "resized", "shelved"):
                    guest = FakeGuest(instance.uuid, instance.flavor.memory_mb,
                                      instance.flavor.vcpus)
                    guest.state = instance.power_state or power_state.RUNNING
                    guest.vifs = [dict(vif) for vif in instance.network_info or ()]
                    self.guests[instance.uuid] = guest

    def spawn(self, instance, image, network_info):
        if self.conf.fake.spawn_delay:
            time.sleep(self.conf.fake.spawn_delay)
        if self.host in self.conf.fake.fail_spawn_hosts:
            raise driver.HypervisorError("Fake spawn failure on host %s" % self.host)
        guest = FakeGuest(instance.uuid, instance.flavor.memory_mb, instance.flavor.vcpus,
                          image)
        guest.config_drive = self.config_drive_required(instance)  # the libvirt rule
        guest.vifs = [dict(vif) for vif in network_info or ()]
        with self._lock:
            self.guests[instance.uuid] = guest

    def destroy(self, instance):
        with self._lock:
            self.guests.pop(instance.uuid, None)

    def _guest(self, instance) -> FakeGuest:
        guest = self.guests.get(instance.uuid)
        if guest is None:
            raise driver.InstanceNotRunning("No guest for instance %s" % instance.uuid)
        return guest

    def _delay(self, operation: str) -> None:
        seconds = float(self.conf.fake.operation_delays.get(operation, 0))
        if seconds:
            time.sleep(seconds)

    def _set_state(self, instance, operation: str, state: int, expect=None) -> None:
        self._delay(operation)
        guest = self._guest(instance)
        if expect is not None and guest.state not in expect:
            raise driver.HypervisorError("Cannot %s guest %s: it is in power state %s" % (
                operation, instance.uuid, guest.state))
        guest.state = state

    def reboot(self, instance, reboot_type):
        self._set_state(instance, "reboot", power_state.RUNNING)

    def power_off(self, instance):
        self._set_state(instance, "power_off", power_state.SHUTDOWN)

    def power_on(self, instance):
        self._set_state(instance, "power_on", power_state.RUNNING)

    def pause(self, instance):
        self._set_state(instance, "pause", power_state.PAUSED, {power_state.RUNNING})

    def unpause(self, instance):
        self._set_state(instance, "unpause", power_state.RUNNING, {power_state.PAUSED})

    def suspend(self, instance):
        self._set_state(instance, "suspend", power_state.SUSPENDED, {power_state.RUNNING})

    def resume(self, instance):
        self._set_state(instance, "resume", power_state.RUNNING, {power_state.SUSPENDED})

    def trigger_crash_dump(self, instance):
        self._delay("trigger_crash_dump")
        self._guest(instance).crash_dumps += 1

    def rescue(self, instance, rescue_image, admin_password, network_info):
        self._delay("rescue")
        guest = self._guest(instance)
        guest.rescue_image = rescue_image
        guest.admin_password = admin_password
        guest.state = power_state.RUNNING

    def unrescue(self, instance):
        self._delay("unrescue")
        guest = self._guest(instance)
        guest.rescue_image = None
        guest.state = power_state.RUNNING
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(self._dir(instance), "disk.rescue"))

    def set_admin_password(self, instance, password):
        self._delay("set_admin_password")
        self._guest(instance).admin_password = password

    # -- os-interface: the guest's VIFs, for a test to see the hot-plug ---------------------

    def attach_interface(self, instance, image_meta, vif):
        self._delay("attach_interface")
        guest = self._guest(instance)
        if any(v.get("id") == vif["id"] for v in guest.vifs):
            raise driver.HypervisorError("Guest %s has an interface of port %s already" % (
                instance.uuid, vif["id"]))
        guest.vifs.append(dict(vif))

    def detach_interface(self, instance, vif):
        self._delay("detach_interface")
        guest = self._guest(instance)
        guest.vifs = [v for v in guest.vifs if v.get("id") != vif["id"]]

    # -- resize and cold migration: the instance directory moves as libvirt's does --------

    def _dir(self, instance) -> str:
        return os.path.join(self.instances_path, instance.uuid)

    def migrate_disk_and_power_off(self, instance, flavor, dest_dir):
        self._delay("migrate_disk_and_power_off")
        if flavor.root_gb < instance.flavor.root_gb:
            raise driver.ResizeError("Unable to resize disk down.")
        guest = self._guest(instance)
        guest.state = power_state.SHUTDOWN
        source, kept = self._dir(instance), self._dir(instance) + "_resize"
        shutil.rmtree(kept, ignore_errors=True)
        if os.path.isdir(source):
            os.rename(source, kept)
            shutil.copytree(kept, dest_dir, dirs_exist_ok=True)
        with self._lock:
            self.resizing[instance.uuid] = self.guests.pop(instance.uuid)

    def finish_migration(self, instance, network_info, image, resize_disk, power_on):
        self._delay("finish_migration")
        guest = FakeGuest(instance.uuid, instance.flavor.memory_mb, instance.flavor.vcpus,
                          image)
        guest.state = power_state.RUNNING if power_on else power_state.SHUTDOWN
        guest.vifs = [dict(vif) for vif in network_info or ()]
        with self._lock:
            self.guests[instance.uuid] = guest

    def confirm_migration(self, instance):
        self._delay("confirm_migration")
        shutil.rmtree(self._dir(instance) + "_resize", ignore_errors=True)
        with self._lock:
            self.resizing.pop(instance.uuid, None)

    def finish_revert_migration(self, instance, network_info, power_on):
        self._delay("finish_revert_migration")
        kept = self._dir(instance) + "_resize"
        if os.path.isdir(kept):
            shutil.rmtree(self._dir(instance), ignore_errors=True)
            os.rename(kept, self._dir(instance))
        with self._lock:
            guest = self.resizing.pop(instance.uuid, None) or FakeGuest(
                instance.uuid, 0, 0)
            guest.memory_mb, guest.vcpus = instance.flavor.memory_mb, instance.flavor.vcpus
            guest.state = power_state.RUNNING if power_on else power_state.SHUTDOWN
            self.guests[instance.uuid] = guest

    # -- live migration: the guest "copied" in steps, abortable and forcible -------------

    def pre_live_migration(self, instance, network_info):
        self._delay("pre_live_migration")

    def live_migration(self, instance, dest_host, dest_dir, block_migration, progress):
        guest = self._guest(instance)
        flags = self._live.setdefault(instance.uuid, set())
        total = guest.memory_mb * 1024 * 1024
        seconds = float(self.conf.fake.operation_delays.get("live_migration", 0))
        steps = 10
        for step in range(1, steps + 1):
            if "abort" in flags:
                self._live.pop(instance.uuid, None)
                raise driver.LiveMigrationAborted("Live migration of %s aborted"
                                                  % instance.uuid)
            if "force_complete" in flags:
                break
            done = total * step // steps
            progress(total, done, total - done, 0, 0, 0)
            time.sleep(seconds / steps)
        self._live.pop(instance.uuid, None)
        if os.path.isdir(self._dir(instance)) and dest_dir != self._dir(instance):
            shutil.copytree(self._dir(instance), dest_dir, dirs_exist_ok=True)

    def live_migration_abort(self, instance):
        self._live.setdefault(instance.uuid, set()).add("abort")

    def live_migration_force_complete(self, instance):
        self._live.setdefault(instance.uuid, set()).add("force_complete")

    def post_live_migration(self, instance):
        with self._lock:
            self.guests.pop(instance.uuid, None)
        shutil.rmtree(self._dir(instance), ignore_errors=True)

    def post_live_migration_at_destination(self, instance, network_info):
        guest = FakeGuest(instance.uuid, instance.flavor.memory_mb, instance.flavor.vcpus)
        guest.state = instance.power_state or power_state.RUNNING
        guest.vifs = [dict(vif) for vif in network_info or ()]
        with self._lock:
            self.guests[instance.uuid] = guest

    def get_vnc_console(self, instance):
        self._guest(instance)
        return ("127.0.0.1", 5900)  # nothing listens: the fake answers with a URL only

    def get_serial_console(self, instance):
        self._guest(instance)
        return ("127.0.0.1", 10000)

    def get_info(self, instance) -> int:
        guest = self.guests.get(instance.uuid)
        return guest.state if guest else power_state.NOSTATE

    def list_instances(self):
        return list(self.guests)

    def get_available_resource(self):
        return {"vcpus": self.conf.fake.vcpus, "memory_mb": self.conf.fake.memory_mb,
                "local_gb": self.conf.fake.disk_gb, "hypervisor_type": "fake",
                "hypervisor_version": 1000, "hypervisor_hostname": self.host,
                "host_ip": "127.0.0.1"}

    def snapshot(self, instance, target_path, update_task_state) -> str:
        guest = self._guest(instance)
        if self.host in self.conf.fake.fail_snapshot_hosts:
            raise driver.HypervisorError("Fake snapshot failure on host %s" % self.host)
        disk = guest.image.disk_path if guest.image else os.path.join(
            image_cache.host_path(self.conf, self.host), instance.uuid, "disk")
        fmt = guest.image.disk_format if guest.image else None
        if _is_qcow2(disk) and shutil.which("qemu-img"):
            # An overlay on the host's base image: flatten it into a standalone qcow2.
            subprocess.run(["qemu-img", "convert", "-O", "qcow2", disk, target_path],
                           check=True, capture_output=True)
            fmt = "qcow2"
        else:
            try:
                shutil.copyfile(disk, target_path)
            except OSError as e:
                raise driver.HypervisorError("Cannot read the disk of %s: %s" % (
                    instance.uuid, e)) from e
        update_task_state(task_states.IMAGE_PENDING_UPLOAD)
        return fmt or ("qcow2" if _is_qcow2(target_path) else "raw")

    def get_console_output(self, instance) -> str:
        self._guest(instance)
        return FAKE_CONSOLE_OUTPUT


# Nova's fake text (its API samples show it) grown into a short boot log: tools that wait
# for a console "long enough" to show a booted guest (Tempest does: more than 3 lines)
# see one.
FAKE_CONSOLE_OUTPUT = ("FAKE CONSOLE OUTPUT\nBooting from Hard Disk...\n"
                       "Starting the fake guest\nReached target Multi-User System\n"
                       "ANOTHER\nLAST LINE")


def _is_qcow2(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"QFI\xfb"
    except OSError:
        return False
