"""The libvirt driver: QEMU guests (software emulation by default, KVM when configured).

An instance's directory, `<instances_path>/<uuid>/`, holds its disk (a qcow2 overlay over
the host's cached base image in `_base/`), its config drive (`disk.config`) and its serial
console log (`console.log`). Its domain is `instance-<uuid>`, with the instance's uuid, and
names this compute host in its <metadata>.
"""

import logging
import os
import shutil
import time

import libvirt

from novalite.compute import image_cache
from novalite.compute.states import power_state, task_states
from novalite.virt import driver
from novalite.virt.libvirt import config, config_drive, disk
from novalite.virt.libvirt.host import Host, domain_name

LOG = logging.getLogger(__name__)

CONSOLE_LOG = "console.log"
CONFIG_DRIVE = "disk.config"
MAX_CONSOLE_BYTES = 100 * 1024  # as Nova: the tail of a long log
_POLL = 0.1


class LibvirtDriver(driver.ComputeDriver):
    hypervisor_type = "QEMU"

    def __init__(self, conf, host: str):
        super().__init__(conf, host)
        self.qemu_img = disk.QemuImg(disk.find_qemu_img())
        self.instances_path = image_cache.host_path(conf, host)
        self.libvirt_host = Host(conf.libvirt.connection_uri, host)

    def init_host(self, instances):
        self.libvirt_host.connection()  # fail at start, not at the first build

    def cleanup_host(self):
        self.libvirt_host.close()

    # -- paths ------------------------------------------------------------------------------

    def _dir(self, instance) -> str:
        return os.path.join(self.instances_path, instance.uuid)

    def _domain(self, instance) -> libvirt.virDomain:
        domain = self.libvirt_host.lookup(instance.uuid)
        if domain is None:
            raise driver.InstanceNotRunning("No domain for instance %s" % instance.uuid)
        return domain

    # -- spawn ------------------------------------------------------------------------------

    def spawn(self, instance, image, network_info):
        directory = self._dir(instance)
        os.makedirs(directory, exist_ok=True)
        base_format = disk.qemu_format(image.disk_format)
        disk_path = os.path.join(directory, "disk")
        self.qemu_img.create_overlay(image.base_path, base_format, disk_path,
                                     instance.flavor.root_gb * disk.GiB)
        guest = config.GuestConfig(
            name=domain_name(instance.uuid), uuid=instance.uuid,
            memory_mb=instance.flavor.memory_mb, vcpus=instance.flavor.vcpus,
            virt_type=self.conf.libvirt.virt_type, owner_host=self.host,
            display_name=instance.display_name,
            console_log=os.path.join(directory, CONSOLE_LOG),
            disks=[config.GuestDisk(disk_path, "vda", "qcow2")])
        self._kernel_boot(guest, instance, image)
        if self.config_drive_required(instance):
            drive = os.path.join(directory, CONFIG_DRIVE)
            config_drive.make(drive, config_drive.files(instance))
            guest.disks.append(config.GuestDisk(drive, "vdb", "raw", readonly=True))
        if network_info:
            guest.interfaces = [config.GuestInterface(_mac(vif, instance.uuid, index))
                                for index, vif in enumerate(network_info)]
        domain = self.libvirt_host.define(guest.to_xml())
        self._start(domain, instance)

    def _kernel_boot(self, guest: config.GuestConfig, instance, image) -> None:
        """A direct kernel boot when the instance has a kernel image (kernel_id, from its
        image's properties): the compute manager put the kernel and ramdisk files in the
        host's image cache, beside the base image."""
        if not instance.kernel_id:
            return
        base_dir = os.path.dirname(image.base_path)
        guest.kernel = os.path.join(base_dir, instance.kernel_id)
        guest.initrd = os.path.join(base_dir, instance.ramdisk_id) \
            if instance.ramdisk_id else None
        for path in filter(None, (guest.kernel, guest.initrd)):
            if not os.path.exists(path):
                raise driver.HypervisorError("Boot file %s is not in the host's image cache"
                                             % path)
        guest.cmdline = image.meta.get("os_command_line") or \
            self.conf.libvirt.default_cmdline

    def _start(self, domain: libvirt.virDomain, instance) -> None:
        try:
            domain.create()
        except libvirt.libvirtError as e:
            raise driver.HypervisorError("Guest %s did not start: %s" % (
                instance.uuid, e)) from e
        self._wait_for(domain, {power_state.RUNNING}, self.conf.libvirt.spawn_timeout,
                       instance)

    def _wait_for(self, domain, states: set[int], timeout: float, instance) -> None:
        deadline = time.monotonic() + timeout
        while True:
            state = self.libvirt_host.state(domain)
            if state in states:
                return
            if time.monotonic() > deadline:
                raise driver.HypervisorError(
                    "Guest %s is in power state %s after %ss, not %s" % (
                        instance.uuid, state, timeout, sorted(states)))
            time.sleep(_POLL)

    # -- destroy ----------------------------------------------------------------------------

    def destroy(self, instance):
        domain = self.libvirt_host.lookup(instance.uuid)
        if domain is not None:
            self._destroy_domain(domain)
            _undefine(domain)
        shutil.rmtree(self._dir(instance), ignore_errors=True)

    def _destroy_domain(self, domain) -> None:
        try:
            if domain.isActive():
                domain.destroy()
        except libvirt.libvirtError as e:
            if e.get_error_code() not in (libvirt.VIR_ERR_NO_DOMAIN,
                                          libvirt.VIR_ERR_OPERATION_INVALID):
                raise driver.HypervisorError(str(e)) from e

    # -- power ------------------------------------------------------------------------------

    def reboot(self, instance, reboot_type):
        domain = self._domain(instance)
        if reboot_type == "SOFT" and self._soft_reboot(domain, instance):
            return
        self._destroy_domain(domain)
        self._start(domain, instance)

    def _soft_reboot(self, domain, instance) -> bool:
        """Ask the guest to shut down, start it again once off. False (then a hard reboot
        follows) if it does not shut down in [libvirt] wait_soft_reboot_seconds."""
        if self.libvirt_host.state(domain) != power_state.RUNNING:
            return False
        if not self._shutdown(domain, instance, self.conf.libvirt.wait_soft_reboot_seconds):
            LOG.info("Guest %s did not shut down for its soft reboot: rebooting it hard",
                     instance.uuid)
            return False
        self._start(domain, instance)
        return True

    def _shutdown(self, domain, instance, timeout: float) -> bool:
        """Ask the guest to shut down (ACPI); True once it is off within `timeout`."""
        try:
            domain.shutdown()
            deadline = time.monotonic() + timeout
            while domain.isActive():
                if time.monotonic() > deadline:
                    return False
                time.sleep(_POLL)
        except libvirt.libvirtError as e:
            if e.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID:  # already off
                return True
            LOG.info("Graceful shutdown of %s failed: %s", instance.uuid, e)
            return False
        return True

    def power_off(self, instance):
        domain = self._domain(instance)
        if domain.isActive() and not self._shutdown(domain, instance,
                                                    self.conf.libvirt.shutdown_timeout):
            LOG.info("Guest %s did not shut down in %ss: destroying it", instance.uuid,
                     self.conf.libvirt.shutdown_timeout)
            self._destroy_domain(domain)

    def power_on(self, instance):
        domain = self._domain(instance)
        if not domain.isActive():
            self._start(domain, instance)

    def pause(self, instance):
        self._call(instance, "pause", lambda d: d.suspend(), {power_state.PAUSED})

    def unpause(self, instance):
        self._call(instance, "unpause", lambda d: d.resume(), {power_state.RUNNING})

    def suspend(self, instance):
        """Managed save: the guest's memory to a file libvirt keeps, the domain shut off
        (Nova's libvirt suspend)."""
        self._call(instance, "suspend", lambda d: d.managedSave(0),
                   {power_state.SHUTDOWN, power_state.NOSTATE})

    def resume(self, instance):
        """create() restores a managed-saved domain from its saved memory."""
        self._start(self._domain(instance), instance)

    def trigger_crash_dump(self, instance):
        self._call(instance, "trigger_crash_dump", lambda d: d.injectNMI(0), None)

    def _call(self, instance, operation: str, do, wait_states: set[int] | None) -> None:
        domain = self._domain(instance)
        try:
            do(domain)
        except libvirt.libvirtError as e:
            raise driver.HypervisorError("Cannot %s guest %s: %s" % (
                operation, instance.uuid, e)) from e
        if wait_states:
            self._wait_for(domain, wait_states, self.conf.libvirt.spawn_timeout, instance)

    def get_info(self, instance) -> int:
        domain = self.libvirt_host.lookup(instance.uuid)
        if domain is None:
            return power_state.NOSTATE
        state = self.libvirt_host.state(domain)
        if state == power_state.SHUTDOWN and _has_managed_save(domain):
            return power_state.SUSPENDED  # a shut-off domain holding its saved memory
        return state

    def list_instances(self):
        return [d.UUIDString() for d in self.libvirt_host.domains()]

    def get_available_resource(self):
        return self.libvirt_host.resources(self.instances_path)

    # -- snapshot ---------------------------------------------------------------------------

    def snapshot(self, instance, target_path, update_task_state) -> str:
        domain = self._domain(instance)
        disk_path = os.path.join(self._dir(instance), "disk")
        paused = False
        if self.libvirt_host.state(domain) == power_state.RUNNING:
            try:
                domain.suspend()  # a consistent disk: no writes while it is copied
                paused = True
            except libvirt.libvirtError as e:
                raise driver.HypervisorError("Cannot pause %s: %s" % (instance.uuid, e)) \
                    from e
        try:
            self.qemu_img.convert_to_qcow2(disk_path, target_path)
        finally:
            if paused:
                try:
                    domain.resume()
                except libvirt.libvirtError:
                    LOG.exception("Guest %s could not resume after its snapshot",
                                  instance.uuid)
        update_task_state(task_states.IMAGE_PENDING_UPLOAD)
        return "qcow2"

    # -- console ----------------------------------------------------------------------------

    def get_console_output(self, instance) -> str:
        self._domain(instance)  # an instance without a guest has no console
        path = os.path.join(self._dir(instance), CONSOLE_LOG)
        try:
            with open(path, "rb") as log:
                size = log.seek(0, os.SEEK_END)
                log.seek(max(0, size - MAX_CONSOLE_BYTES))
                data = log.read()
        except FileNotFoundError:
            return ""  # nothing written yet
        return data.decode("utf-8", "replace")


def _has_managed_save(domain) -> bool:
    try:
        return bool(domain.hasManagedSaveImage(0))
    except libvirt.libvirtError:
        return False


def _undefine(domain) -> None:
    """Undefine with NVRAM and managed save removed where the hypervisor supports those
    flags (as Nova's guest.delete_configuration), else plainly."""
    for flags in (libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                  | libvirt.VIR_DOMAIN_UNDEFINE_NVRAM,
                  libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE, 0):
        try:
            domain.undefineFlags(flags)
            return
        except libvirt.libvirtError as e:
            code = e.get_error_code()
            if code == libvirt.VIR_ERR_NO_DOMAIN:
                return
            if code not in (libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_ERR_INVALID_ARG,
                            libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED):
                raise driver.HypervisorError(str(e)) from e
    raise driver.HypervisorError("Cannot undefine domain %s" % domain.name())


def _mac(vif: dict, instance_uuid: str, index: int) -> str:
    """The port's MAC address, else one derived from the instance (fa:16:3e, as Nova)."""
    address = vif.get("mac") if isinstance(vif, dict) else None
    if address:
        return address
    seed = int(instance_uuid.replace("-", "")[-6:], 16) + index
    return "fa:16:3e:%02x:%02x:%02x" % ((seed >> 16) & 0xFF, (seed >> 8) & 0xFF, seed & 0xFF)
