"""The virt driver interface every hypervisor implements (fake now, libvirt later)."""

import abc
import os
import time


class HypervisorError(Exception):
    """The hypervisor failed to do what was asked (e.g. a spawn failure)."""


class InstanceNotRunning(HypervisorError):
    pass


class ResizeError(HypervisorError):
    """The resize cannot be done (e.g. the new root disk is smaller than the current)."""


class LiveMigrationAborted(HypervisorError):
    """live_migration_abort() stopped the live migration; the guest runs on at the source."""


class ConsoleTypeUnavailable(HypervisorError):
    """The guest has no console of this type."""


class AgentNotEnabled(HypervisorError):
    """The guest has no agent for what was asked (Nova's QemuGuestAgentNotEnabled)."""


class ComputeDriver(abc.ABC):
    """What the compute manager needs from a hypervisor. Instances are objects.Instance."""

    hypervisor_type = "unknown"
    # Whether the live migration methods below work: checked on both hosts before one
    # starts (Nova's check_can_live_migrate_*), so an unable driver is a clear 400.
    supports_live_migration = False
    # Whether attach_interface and detach_interface work (Nova's supports_attach_interface
    # capability): the host refuses an os-interface attach before it takes a port.
    supports_attach_interface = False

    def __init__(self, conf, host: str):
        self.conf = conf
        self.host = host

    def init_host(self, instances: list) -> None:
        """Called once when the compute service starts, with the instances the database
        places on this host, so the driver can reconcile its guests with them."""

    def cleanup_host(self) -> None:
        """Called once when the compute service stops."""

    def config_drive_required(self, instance) -> bool:
        """Does spawn give this instance a config drive? The compute manager records a yes
        on the instance, so the API shows what the guest has (Nova's update_instance)."""
        return config_drive_required(instance, self.conf.force_config_drive)

    @abc.abstractmethod
    def spawn(self, instance, image, network_info: list) -> None:
        """Create and start a guest. `image` (compute.image_cache.ImageInfo) holds the
        image's metadata, its cached base file and the instance disk already made from it
        (disk_path). Raise HypervisorError on failure."""

    @abc.abstractmethod
    def destroy(self, instance) -> None:
        """Stop and remove a guest and its disks. Unknown guests are not an error."""

    @abc.abstractmethod
    def reboot(self, instance, reboot_type: str) -> None:
        """SOFT or HARD reboot."""

    @abc.abstractmethod
    def power_off(self, instance) -> None: ...

    @abc.abstractmethod
    def power_on(self, instance) -> None: ...

    # Optional operations: a driver without one raises NotImplementedError, which the
    # compute manager records as the action's fault (Nova's drivers do the same).
    def pause(self, instance) -> None:
        """Freeze the guest's vCPUs; its memory stays."""
        raise NotImplementedError()

    def unpause(self, instance) -> None:
        raise NotImplementedError()

    def suspend(self, instance) -> None:
        """Save the guest's memory to disk and stop it (libvirt's managed save)."""
        raise NotImplementedError()

    def resume(self, instance) -> None:
        """Start a suspended guest from its saved memory."""
        raise NotImplementedError()

    def trigger_crash_dump(self, instance) -> None:
        """Inject an NMI: the guest's kernel dumps its memory (kdump) and reboots."""
        raise NotImplementedError()

    def rescue(self, instance, rescue_image, admin_password: str, network_info: list
               ) -> None:
        """Boot the guest from `rescue_image` (an ImageInfo whose disk_path is a fresh
        `disk.rescue` made from the rescue image) with the instance's own disk attached
        after it, untouched. The image's hw_rescue_device / hw_rescue_bus (Nova's stable
        rescue) say how the rescue disk is attached; without them it is the first disk.
        The guest ends running."""
        raise NotImplementedError()

    def unrescue(self, instance) -> None:
        """Back from rescue: the rescue guest and disk.rescue gone, the instance's own
        guest defined again from its disk and running."""
        raise NotImplementedError()

    def set_admin_password(self, instance, password: str) -> None:
        """Set the guest's administrator password. Raise NotImplementedError when the
        driver cannot, AgentNotEnabled when the guest has no agent to do it."""
        raise NotImplementedError()

    # A resize or cold migration, in Nova's three steps. Same host or another: the
    # destination's instance directory is given, both on this machine.
    def migrate_disk_and_power_off(self, instance, flavor, dest_dir: str) -> None:
        """On the source: power the guest off, keep its files aside (restorable by
        finish_revert_migration) and put a standalone copy of its disks in dest_dir
        (which may be the directory the instance had here). `flavor` is the new one: a
        smaller root disk raises ResizeError."""
        raise NotImplementedError()

    def finish_migration(self, instance, network_info: list, image, resize_disk: bool,
                         power_on: bool) -> None:
        """On the destination: the guest defined with instance.flavor (the new one) over
        the disks migrate_disk_and_power_off copied into this host's directory, the root
        disk grown to the flavor when resize_disk, started if power_on. `image` is the
        instance's image in this host's cache (ImageInfo; its disk_path is not used)."""
        raise NotImplementedError()

    def confirm_migration(self, instance) -> None:
        """On the source, once confirmed: what migrate_disk_and_power_off kept aside is
        removed (the guest, if still defined here, too)."""
        raise NotImplementedError()

    def finish_revert_migration(self, instance, network_info: list, power_on: bool) -> None:
        """On the source, on revert: the files kept aside restored and the guest defined
        again with instance.flavor (the old one), started if power_on. The destination
        side was removed by destroy() there (on the same host, before this call)."""
        raise NotImplementedError()

    @abc.abstractmethod
    def get_info(self, instance) -> int:
        """The guest's power state (compute.states.power_state)."""

    @abc.abstractmethod
    def list_instances(self) -> list[str]:
        """uuids of the guests this hypervisor has."""

    @abc.abstractmethod
    def get_available_resource(self) -> dict:
        """{vcpus, memory_mb, local_gb, hypervisor_type, hypervisor_version,
        hypervisor_hostname, host_ip}: the host's total capacity."""

    @abc.abstractmethod
    def snapshot(self, instance, target_path: str, update_task_state) -> str:
        """Write the guest's disk, as one self-contained image file, to target_path and
        return its disk format. Call update_task_state(task_states.IMAGE_PENDING_UPLOAD)
        once the disk is captured. Raise HypervisorError on failure."""

    @abc.abstractmethod
    def get_console_output(self, instance) -> str:
        """The guest's serial console output so far (at most its last 100 KB). Raise
        InstanceNotRunning when the instance has no guest here."""

    # A live migration: the guest keeps running while its memory (and, for a block
    # migration, its disk) is copied to the destination.
    def pre_live_migration(self, instance, network_info: list) -> None:
        """On the destination, before: whatever the guest needs here (directories)."""
        raise NotImplementedError()

    def live_migration(self, instance, dest_host: str, dest_dir: str,
                       block_migration: bool, progress) -> None:
        """On the source: move the running guest to dest_host (its files to dest_dir),
        calling progress(memory_total, memory_processed, memory_remaining, disk_total,
        disk_processed, disk_remaining) as it goes. Returns once the guest runs on the
        destination; raises LiveMigrationAborted after live_migration_abort()."""
        raise NotImplementedError()

    def live_migration_abort(self, instance) -> None:
        """Stop a live migration under way (from another thread)."""
        raise NotImplementedError()

    def live_migration_force_complete(self, instance) -> None:
        """Make a live migration under way finish now (the guest is paused for the last
        copy, as libvirt's)."""
        raise NotImplementedError()

    def post_live_migration(self, instance) -> None:
        """On the source, after: the guest's leftovers here removed."""
        raise NotImplementedError()

    def post_live_migration_at_destination(self, instance, network_info: list) -> None:
        """On the destination, after: the guest is this host's now."""
        raise NotImplementedError()

    # os-interface: a port's VIF (network_info's format) hot-plugged into the guest, or
    # unplugged from it; a stopped guest's definition changes for its next start.
    def attach_interface(self, instance, image_meta: dict, vif: dict) -> None:
        """Plug the VIF into the guest. image_meta: the instance's image properties."""
        raise NotImplementedError()

    def detach_interface(self, instance, vif: dict) -> None:
        """Unplug the VIF from the guest."""
        raise NotImplementedError()

    def get_vnc_console(self, instance) -> tuple[str, int]:
        """(host, port) of the guest's VNC server, for the console proxy. Raise
        ConsoleTypeUnavailable when the guest has none."""
        raise ConsoleTypeUnavailable("vnc")

    def get_serial_console(self, instance) -> tuple[str, int]:
        """(host, port) of the guest's first serial port as a raw TCP socket."""
        raise ConsoleTypeUnavailable("serial")

    def get_host_uptime(self) -> str:
        """The host's `uptime` line (Nova's os-hypervisors uptime). Every driver here runs
        on the machine it reports for, so this reads that machine's."""
        return host_uptime()


def host_uptime() -> str:
    """' 08:32:11 up 93 days, 18:25,  load average: 0.20, 0.12, 0.14', as uptime(1)."""
    with open("/proc/uptime") as f:
        seconds = int(float(f.read().split()[0]))
    days, rest = divmod(seconds, 86400)
    hours, minutes = divmod(rest // 60, 60)
    up = ("%d day%s, " % (days, "" if days == 1 else "s") if days else "") + \
        "%2d:%02d" % (hours, minutes)
    load = ", ".join("%.2f" % value for value in os.getloadavg())
    return " %s up %s,  load average: %s" % (time.strftime("%H:%M:%S"), up, load)


def config_drive_required(instance, force: bool) -> bool:
    """The one rule, as Nova's configdrive.required_by: the instance's config_drive field
    (asked for at boot), or [DEFAULT] force_config_drive."""
    return force or str(instance.config_drive or "").strip().lower() in (
        "true", "1", "yes", "on", "t", "y")


def load(conf, host: str) -> ComputeDriver:
    if conf.compute_driver == "fake":
        from novalite.virt.fake import FakeDriver

        return FakeDriver(conf, host)
    if conf.compute_driver == "libvirt":
        from novalite.virt.libvirt.driver import LibvirtDriver

        return LibvirtDriver(conf, host)
    raise ValueError("Unknown compute_driver %r" % conf.compute_driver)
