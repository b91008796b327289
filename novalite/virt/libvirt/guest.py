"""The domain an instance gets, as a config.GuestConfig: sized by its flavor, booted as its
image's properties say (a direct kernel boot from the host's image cache, the QEMU guest
agent's channel), with its disks in the order a normal boot or a rescue wants.

The image's properties come from the instance's system_metadata (`image_<property>`, as
Nova keeps them) and, where the caller has it, the image's own metadata over those.
"""

import os

from novalite.virt import driver
from novalite.virt.libvirt import config
from novalite.virt.libvirt import vif as vif_config
from novalite.virt.libvirt.host import domain_name

DISK = "disk"
CONFIG_DRIVE = "disk.config"
RESCUE_DISK = "disk.rescue"
CONSOLE_LOG = "console.log"

# Nova's stable rescue (hw_rescue_device, hw_rescue_bus), as far as QEMU guests go.
RESCUE_DEVICES = ("disk", "cdrom")
RESCUE_BUSES = ("virtio", "scsi", "sata", "ide", "usb")
_DEFAULT_RESCUE_BUS = {"disk": "virtio", "cdrom": "ide"}  # an i440fx guest's CD-ROM is IDE


def image_properties(instance, meta: dict | None = None) -> dict:
    """The instance's image properties: system_metadata's image_* keys, `meta` over them."""
    props = {key[len("image_"):]: value
             for key, value in (instance.system_metadata or {}).items()
             if key.startswith("image_")}
    props.update(meta or {})
    return props


def truthy(value) -> bool:
    """An image property's yes (oslo's bool_from_string, which Nova reads them with)."""
    return str(value).strip().lower() in ("1", "t", "true", "on", "y", "yes")


def admin_user(props: dict) -> str:
    """Whose password set_admin_password sets: os_admin_user, else as Nova by os_type."""
    return props.get("os_admin_user") or (
        "Administrator" if props.get("os_type") == "windows" else "root")


def rescue_layout(meta: dict) -> tuple[str, str] | None:
    """(device, bus) of a stable rescue's disk (the image has hw_rescue_device and/or
    hw_rescue_bus), or None: the legacy rescue, whose rescue disk comes first. Raises
    HypervisorError for what QEMU guests cannot have, before anything is touched."""
    device, bus = meta.get("hw_rescue_device"), meta.get("hw_rescue_bus")
    if not device and not bus:
        return None
    device = device or "disk"
    if device not in RESCUE_DEVICES:
        raise driver.HypervisorError("hw_rescue_device %r is not one of %s" % (
            device, ", ".join(RESCUE_DEVICES)))
    bus = bus or _DEFAULT_RESCUE_BUS[device]
    if bus not in RESCUE_BUSES:
        raise driver.HypervisorError("hw_rescue_bus %r is not one of %s" % (
            bus, ", ".join(RESCUE_BUSES)))
    if device == "cdrom" and bus == "virtio":
        raise driver.HypervisorError("A rescue CD-ROM cannot be on the virtio bus")
    return device, bus


def instance_disks(directory: str, config_drive: bool) -> list[config.GuestDisk]:
    """vda the instance's disk, vdb its config drive when it has one."""
    disks = [config.GuestDisk(os.path.join(directory, DISK), "vda", "qcow2")]
    if config_drive:
        disks.append(config.GuestDisk(os.path.join(directory, CONFIG_DRIVE), "vdb", "raw",
                                      readonly=True))
    return disks


def rescue_disks(directory: str, config_drive: bool, layout: tuple[str, str] | None
                 ) -> list[config.GuestDisk]:
    """Legacy: the rescue disk first, then the instance's disk (and config drive). Stable:
    the instance's disks as they were, and the rescue disk after them on its bus, booted
    first."""
    rescue = os.path.join(directory, RESCUE_DISK)
    if layout is None:
        disks = [config.GuestDisk(rescue, "vda", "qcow2"),
                 config.GuestDisk(os.path.join(directory, DISK), "vdb", "qcow2")]
        if config_drive:
            disks.append(config.GuestDisk(os.path.join(directory, CONFIG_DRIVE), "vdc",
                                          "raw", readonly=True))
        return disks
    device, bus = layout
    disks = instance_disks(directory, config_drive)
    prefix = config.DISK_PREFIXES[bus]
    index = sum(1 for d in disks if d.target_dev.startswith(prefix))
    disks.append(config.GuestDisk(rescue, config.target_dev(bus, index), "qcow2",
                                  device=device, bus=bus, readonly=device == "cdrom",
                                  boot_order=1))
    return disks


def build(instance, conf, *, owner: str, directory: str, disks: list[config.GuestDisk],
          props: dict, boot: dict, base_dir: str, network_info: list,
          serial_port: int | None) -> config.GuestConfig:
    """The domain of `instance` on host `owner`. `boot` holds the properties of the image
    the guest boots (kernel_id, ramdisk_id, os_command_line: the instance's, or a rescue
    image's); `props` the instance's image properties (hw_qemu_guest_agent)."""
    guest = config.GuestConfig(
        name=domain_name(instance.uuid), uuid=instance.uuid,
        memory_mb=instance.flavor.memory_mb, vcpus=instance.flavor.vcpus,
        virt_type=conf.libvirt.virt_type, owner_host=owner,
        display_name=instance.display_name,
        console_log=os.path.join(directory, CONSOLE_LOG), serial_port=serial_port,
        vnc=True, guest_agent=truthy(props.get("hw_qemu_guest_agent")), disks=disks)
    _kernel_boot(guest, boot, base_dir, conf.libvirt.default_cmdline)
    if network_info:
        guest.interfaces = [interface(vif, instance.uuid, index)
                            for index, vif in enumerate(network_info)]
    return guest


def interface(vif: dict, instance_uuid: str, index: int) -> config.GuestInterface:
    """The guest's interface of one VIF: at boot, and hot-plugged by os-interface (a tap
    on the network's bridge for a "bridge" VIF, else user-mode networking)."""
    return vif_config.interface(vif, _mac(vif, instance_uuid, index))


def _kernel_boot(guest: config.GuestConfig, boot: dict, base_dir: str,
                 default_cmdline: str) -> None:
    """A direct kernel boot when the image has a kernel (kernel_id): the compute manager
    put the kernel and ramdisk files in the host's image cache, beside the base images."""
    if not boot.get("kernel_id"):
        return
    guest.kernel = os.path.join(base_dir, boot["kernel_id"])
    guest.initrd = os.path.join(base_dir, boot["ramdisk_id"]) \
        if boot.get("ramdisk_id") else None
    for path in filter(None, (guest.kernel, guest.initrd)):
        if not os.path.exists(path):
            raise driver.HypervisorError("Boot file %s is not in the host's image cache"
                                         % path)
    guest.cmdline = boot.get("os_command_line") or default_cmdline


def _mac(vif: dict, instance_uuid: str, index: int) -> str:
    """The port's MAC address, else one derived from the instance (fa:16:3e, as Nova)."""
    address = vif.get("mac") if isinstance(vif, dict) else None
    if address:
        return address
    seed = int(instance_uuid.replace("-", "")[-6:], 16) + index
    return "fa:16:3e:%02x:%02x:%02x" % ((seed >> 16) & 0xFF, (seed >> 8) & 0xFF, seed & 0xFF)
