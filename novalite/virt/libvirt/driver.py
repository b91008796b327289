"""The libvirt driver: QEMU guests (software emulation by default, KVM when configured).

An instance's directory, `<instances_path>/<uuid>/`, holds its disk (a qcow2 overlay over
the host's cached base image in `_base/`), its config drive (`disk.config`) and its serial
console log (`console.log`); while rescued also the rescue disk (`disk.rescue`) and the
domain to go back to (`unrescue.xml`). A resize keeps the source's directory aside as
`<uuid>_resize` until it is confirmed or reverted. Its domain is `instance-<uuid>`, with the
instance's uuid, and names this compute host in its <metadata>; every guest has a VNC
display and its serial console as a TCP server, both on 127.0.0.1 only.

One libvirtd may hold the guests of several novalite hosts (all in one machine), and an
instance's uuid names one domain there: a migration's source undefines its domain before
the destination defines its own, so only one host ever owns it.
"""

import glob
import logging
import os
import shutil
import time

import libvirt

from novalite.compute import image_cache
from novalite.compute.states import power_state, task_states
from novalite.virt import driver
from novalite.virt.libvirt import config, config_drive, disk, guest
from novalite.virt.libvirt import vif as libvirt_vif
from novalite.virt.libvirt.guest import CONFIG_DRIVE, CONSOLE_LOG, DISK, RESCUE_DISK
from novalite.virt.libvirt.host import Host, owner

LOG = logging.getLogger(__name__)

UNRESCUE_XML = "unrescue.xml"
RESIZE_SUFFIX = "_resize"
MAX_CONSOLE_BYTES = 100 * 1024  # as Nova: the tail of a long log
_POLL = 0.1


class LibvirtDriver(driver.ComputeDriver):
    hypervisor_type = "QEMU"
    supports_attach_interface = True

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
        self.qemu_img.create_overlay(image.base_path, disk.qemu_format(image.disk_format),
                                     os.path.join(directory, DISK),
                                     instance.flavor.root_gb * disk.GiB)
        has_drive = self.config_drive_required(instance)
        if has_drive:
            config_drive.make(os.path.join(directory, CONFIG_DRIVE),
                              config_drive.files(instance))
        props = guest.image_properties(instance, image.meta)
        domain = self._define(instance, guest.instance_disks(directory, has_drive), props,
                              os.path.dirname(image.base_path), network_info)
        self._start(domain, instance, network_info)

    def _base_dir(self) -> str:
        return os.path.join(self.instances_path, "_base")  # image_cache.ImageCache's

    def _define(self, instance, disks, props: dict, base_dir: str, network_info,
                boot: dict | None = None, serial_port: int | None = None
                ) -> libvirt.virDomain:
        """Define this host's domain of the instance (replacing a definition it had)."""
        return self.libvirt_host.define(self._guest_xml(
            instance, disks, props, base_dir, network_info, boot, serial_port))

    def _guest_xml(self, instance, disks, props: dict, base_dir: str, network_info,
                   boot: dict | None = None, serial_port: int | None = None) -> str:
        return guest.build(
            instance, self.conf, owner=self.host, directory=self._dir(instance),
            disks=disks, props=props, boot=boot or _boot_of(instance, props),
            base_dir=base_dir, network_info=network_info,
            serial_port=serial_port or self.libvirt_host.allocate_serial_port()).to_xml()

    def _start(self, domain: libvirt.virDomain, instance, network_info=None) -> None:
        """Start the domain, its VIFs' bridges made first (network_info: the instance's
        unless given)."""
        libvirt_vif.plug(network_info if network_info is not None else instance.network_info)
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

    # -- rescue -----------------------------------------------------------------------------

    def rescue(self, instance, rescue_image, admin_password, network_info):
        """As Nova's: the guest destroyed (not shut down: a guest to rescue may not), its
        domain's definition saved in unrescue.xml, and the domain defined again booting
        the rescue image, the instance's disk attached after the rescue disk (or, for a
        stable rescue, the rescue disk after the instance's own)."""
        directory = self._dir(instance)
        domain = self._domain(instance)
        layout = guest.rescue_layout(rescue_image.meta)  # refused before anything changes
        original = domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        was_active = bool(domain.isActive())
        rescue_disk = os.path.join(directory, RESCUE_DISK)
        saved = os.path.join(directory, UNRESCUE_XML)
        if rescue_disk in original:  # its own definition would be lost
            raise driver.HypervisorError("Instance %s is rescued already" % instance.uuid)
        # The rescue disk as spawn makes an instance's: a qcow2 overlay over the cached
        # image, replacing the file the compute manager made.
        try:
            self.qemu_img.create_overlay(rescue_image.base_path,
                                         disk.qemu_format(rescue_image.disk_format),
                                         rescue_disk, instance.flavor.root_gb * disk.GiB)
        except driver.HypervisorError:
            _remove(rescue_disk)
            raise
        _write(saved, original)
        props = guest.image_properties(instance)
        boot = _boot_of(instance, props)
        if rescue_image.meta.get("kernel_id"):  # else the instance's kernel, as Nova
            boot = {key: rescue_image.meta.get(key)
                    for key in ("kernel_id", "ramdisk_id", "os_command_line")}
        disks = guest.rescue_disks(directory, os.path.exists(os.path.join(
            directory, CONFIG_DRIVE)), layout)
        # The serial console keeps its port: the console proxy's address stays the same.
        port = (config.serial_tcp_address(original) or (None, None))[1]
        try:
            xml = self._guest_xml(instance, disks, props, os.path.dirname(
                rescue_image.base_path), network_info, boot=boot, serial_port=port)
        except driver.HypervisorError:
            _remove(rescue_disk, saved)
            raise
        self._destroy_domain(domain)
        try:
            self._start(self.libvirt_host.define(xml), instance)
        except Exception:
            LOG.exception("Rescue of %s failed: its own guest is defined again",
                          instance.uuid)
            self._redefine(instance, original, start=was_active)
            _remove(rescue_disk, saved)
            raise

    def unrescue(self, instance):
        directory = self._dir(instance)
        domain = self._domain(instance)
        saved = os.path.join(directory, UNRESCUE_XML)
        self._destroy_domain(domain)
        if os.path.exists(saved):
            with open(saved) as f:
                domain = self.libvirt_host.define(f.read())
        else:  # lost: the instance's domain as spawn made it
            LOG.warning("%s of %s is missing: defining its guest from the instance",
                        UNRESCUE_XML, instance.uuid)
            domain = self._define(instance, guest.instance_disks(directory, os.path.exists(
                os.path.join(directory, CONFIG_DRIVE))), guest.image_properties(instance),
                self._base_dir(), instance.network_info)
        self._start(domain, instance)
        _remove(saved, *glob.glob(os.path.join(directory, "*.rescue")))

    def _redefine(self, instance, xml: str, start: bool) -> None:
        """Best effort, after a failure: define `xml` again and start it if it ran."""
        try:
            domain = self.libvirt_host.lookup_any(instance.uuid)
            if domain is not None and owner(domain) == self.host:
                self._destroy_domain(domain)
            domain = self.libvirt_host.define(xml)
            if start:
                self._start(domain, instance)
        except driver.HypervisorError:
            LOG.exception("Guest %s could not be restored", instance.uuid)

    # -- os-interface -----------------------------------------------------------------------

    def attach_interface(self, instance, image_meta, vif):
        """A virtio interface, as spawn gives one, plugged into the running guest and
        kept in its definition (only the definition while it is shut off)."""
        index = len(instance.network_info or ())
        libvirt_vif.plug([vif])
        self._device(instance, "attach", guest.interface(vif, instance.uuid, index).to_xml())

    def detach_interface(self, instance, vif):
        vifs = [v.get("id") for v in instance.network_info or ()]
        index = vifs.index(vif["id"]) if vif.get("id") in vifs else len(vifs)
        self._device(instance, "detach", guest.interface(vif, instance.uuid, index).to_xml())

    def _device(self, instance, operation: str, xml: str) -> None:
        domain = self._domain(instance)
        flags = libvirt.VIR_DOMAIN_AFFECT_CONFIG
        try:
            if domain.isActive():
                flags |= libvirt.VIR_DOMAIN_AFFECT_LIVE
            change = domain.attachDeviceFlags if operation == "attach" else \
                domain.detachDeviceFlags
            change(xml, flags)
        except libvirt.libvirtError as e:
            raise driver.HypervisorError("Cannot %s an interface of guest %s: %s" % (
                operation, instance.uuid, e)) from e

    # -- admin password ---------------------------------------------------------------------

    def set_admin_password(self, instance, password):
        """Through the QEMU guest agent (guest-set-user-password), when the instance's
        image says the guest runs one (hw_qemu_guest_agent: the domain has its channel)."""
        props = guest.image_properties(instance)
        if not guest.truthy(props.get("hw_qemu_guest_agent")):
            raise driver.AgentNotEnabled(
                "The image of instance %s does not have hw_qemu_guest_agent=yes"
                % instance.uuid)
        domain = self._domain(instance)
        try:
            domain.setUserPassword(guest.admin_user(props), password, 0)
        except libvirt.libvirtError as e:
            code = e.get_error_code()
            if code in (libvirt.VIR_ERR_AGENT_UNRESPONSIVE,
                        libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED):
                # No agent answering (not running in the guest, or the domain has no
                # channel): for the user, the guest has no agent to do it.
                raise driver.AgentNotEnabled("Guest agent of %s: %s" % (
                    instance.uuid, e)) from e
            if code == libvirt.VIR_ERR_OPERATION_INVALID:
                raise driver.InstanceNotRunning("Guest %s is not running" % instance.uuid) \
                    from e
            if code == libvirt.VIR_ERR_NO_SUPPORT:
                raise NotImplementedError("This hypervisor cannot set passwords: %s" % e) \
                    from e
            raise driver.HypervisorError("Cannot set the password of %s: %s" % (
                instance.uuid, e)) from e

    # -- resize and cold migration ----------------------------------------------------------

    def migrate_disk_and_power_off(self, instance, flavor, dest_dir):
        """The guest powered off and undefined (the destination defines the instance's
        domain), its directory renamed <uuid>_resize, and a standalone qcow2 copy of its
        disk (no backing file in this host's _base) and its config drive in dest_dir."""
        directory = self._dir(instance)
        domain = self._domain(instance)
        current = self.qemu_img.virtual_size(os.path.join(directory, DISK), "qcow2")
        # root_gb 0: the image's size, as spawn gives; it stays if it was 0 before too.
        keeps_image_size = flavor.root_gb == 0 and instance.flavor.root_gb == 0
        if flavor.root_gb * disk.GiB < current and not keeps_image_size:
            raise driver.ResizeError(
                "Flavor %s's root disk (%d GiB) is smaller than instance %s's (%d bytes)"
                % (flavor.name, flavor.root_gb, instance.uuid, current))
        original = domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        was_active = bool(domain.isActive())
        self.power_off(instance)
        aside = directory + RESIZE_SUFFIX
        _undefine(domain)
        try:
            if os.path.exists(aside):  # a failed resize's leftovers
                shutil.rmtree(aside)
            os.rename(directory, aside)
        except OSError as e:
            self._redefine(instance, original, start=was_active)
            raise driver.HypervisorError("Cannot keep %s aside: %s" % (directory, e)) from e
        try:
            os.makedirs(dest_dir, exist_ok=True)
            self.qemu_img.convert_to_qcow2(os.path.join(aside, DISK),
                                           os.path.join(dest_dir, DISK))
            drive = os.path.join(aside, CONFIG_DRIVE)
            if os.path.exists(drive):
                shutil.copyfile(drive, os.path.join(dest_dir, CONFIG_DRIVE))
        except Exception:
            LOG.exception("Copying the disks of %s to %s failed: it is back as it was",
                          instance.uuid, dest_dir)
            shutil.rmtree(dest_dir, ignore_errors=True)
            os.rename(aside, directory)
            self._redefine(instance, original, start=was_active)
            raise

    def finish_migration(self, instance, network_info, image, resize_disk, power_on):
        directory = self._dir(instance)
        disk_path = os.path.join(directory, DISK)
        if not os.path.exists(disk_path):
            raise driver.HypervisorError("Instance %s has no disk in %s to finish its "
                                         "migration with" % (instance.uuid, directory))
        wanted = instance.flavor.root_gb * disk.GiB
        if resize_disk and wanted > self.qemu_img.virtual_size(disk_path, "qcow2"):
            self.qemu_img.resize(disk_path, "qcow2", wanted)
        props = guest.image_properties(instance, image.meta if image else None)
        # The kernel and ramdisk are in this host's cache (the compute manager's prep),
        # whether or not the machine image is: a destination that never ran the image
        # has no base file for it (image_cache.moved_in gives base_path '').
        base_dir = os.path.dirname(image.base_path) if image and image.base_path \
            else self._base_dir()
        domain = self._define_moved(instance, props, base_dir, network_info)
        if power_on:
            self._start(domain, instance)

    def confirm_migration(self, instance):
        shutil.rmtree(self._dir(instance) + RESIZE_SUFFIX, ignore_errors=True)
        # The guest lives elsewhere now: a domain this host still owns is a leftover. (On a
        # same-host resize, this host's domain is the resized guest itself.)
        if instance.host and instance.host != self.host:
            domain = self.libvirt_host.lookup(instance.uuid)
            if domain is not None:
                self._destroy_domain(domain)
                _undefine(domain)

    def finish_revert_migration(self, instance, network_info, power_on):
        directory = self._dir(instance)
        aside = directory + RESIZE_SUFFIX
        if os.path.exists(aside):
            # The destination's files, were they in this very directory (a same-host
            # resize, or hosts sharing instances_path), went with its destroy().
            shutil.rmtree(directory, ignore_errors=True)
            os.rename(aside, directory)
        elif not os.path.exists(os.path.join(directory, DISK)):
            raise driver.HypervisorError("Instance %s has no disk kept aside to revert to"
                                         % instance.uuid)
        domain = self._define_moved(instance, guest.image_properties(instance),
                                    self._base_dir(), network_info)
        if power_on:
            self._start(domain, instance)

    def _define_moved(self, instance, props, base_dir, network_info) -> libvirt.virDomain:
        """The instance's domain on this host over the disks in its directory, with
        instance.flavor. Another host's definition of it (a migration that did not clean
        up) is replaced, unless that guest runs."""
        directory = self._dir(instance)
        other = self.libvirt_host.lookup_any(instance.uuid)
        if other is not None and owner(other) != self.host:
            if other.isActive():
                raise driver.HypervisorError("Instance %s still runs on host %s" % (
                    instance.uuid, owner(other)))
            LOG.warning("Replacing host %s's definition of %s", owner(other),
                        instance.uuid)
        has_drive = os.path.exists(os.path.join(directory, CONFIG_DRIVE))
        if not has_drive and self.config_drive_required(instance):
            config_drive.make(os.path.join(directory, CONFIG_DRIVE),
                              config_drive.files(instance))
            has_drive = True
        return self._define(instance, guest.instance_disks(directory, has_drive), props,
                            base_dir, network_info)

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


    def get_vnc_console(self, instance):
        address = config.vnc_address(self._live_xml(instance, "vnc"))
        if address is None:
            raise driver.ConsoleTypeUnavailable("Guest %s has no VNC display"
                                                % instance.uuid)
        return address

    def get_serial_console(self, instance):
        address = config.serial_tcp_address(self._live_xml(instance, "serial"))
        if address is None:
            raise driver.ConsoleTypeUnavailable("Guest %s has no TCP serial console"
                                                % instance.uuid)
        return address

    def _live_xml(self, instance, console: str) -> str:
        domain = self._domain(instance)
        try:
            if domain.isActive():
                return domain.XMLDesc(0)
        except libvirt.libvirtError as e:
            raise driver.HypervisorError(str(e)) from e
        raise driver.ConsoleTypeUnavailable("Guest %s is not running: no %s console" % (
            instance.uuid, console))


def _boot_of(instance, props: dict) -> dict:
    """What the instance boots: its kernel and ramdisk (the compute API took them from its
    image), and its image's kernel command line."""
    return {"kernel_id": instance.kernel_id, "ramdisk_id": instance.ramdisk_id,
            "os_command_line": props.get("os_command_line")}


def _write(path: str, text: str) -> None:
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def _remove(*paths: str) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


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
