"""The guest's libvirt domain XML, built from plain dataclasses (as Nova's
virt/libvirt/config.py, without its class hierarchy).

    GuestConfig(name, uuid, memory_mb, vcpus, disks=[...], ...).to_xml() -> str

Only what novalite's guests use: virtio disks (and a config-drive CD-ROM), a direct kernel
boot, a pty serial console whose output is logged to a file, user-mode networking, and a
metadata element naming the compute host that owns the domain.
"""

import dataclasses
import xml.etree.ElementTree as ET

# The namespace of novalite's <metadata> element in every domain it defines.
METADATA_NS = "http://novalite.org/xmlns/libvirt/instance/1.0"
METADATA_PREFIX = "novalite"


@dataclasses.dataclass
class GuestDisk:
    source_path: str
    target_dev: str = "vda"
    driver_type: str = "qcow2"  # the file's format: qcow2 | raw
    device: str = "disk"  # disk | cdrom
    bus: str = "virtio"
    readonly: bool = False

    def to_element(self) -> ET.Element:
        disk = ET.Element("disk", type="file", device=self.device)
        ET.SubElement(disk, "driver", name="qemu", type=self.driver_type)
        ET.SubElement(disk, "source", file=self.source_path)
        ET.SubElement(disk, "target", dev=self.target_dev, bus=self.bus)
        if self.readonly:
            ET.SubElement(disk, "readonly")
        return disk


@dataclasses.dataclass
class GuestInterface:
    mac_address: str
    model: str = "virtio"
    # user: QEMU's own user-mode network (no bridge, no root); network: a libvirt network.
    type: str = "user"
    network: str | None = None

    def to_element(self) -> ET.Element:
        iface = ET.Element("interface", type=self.type)
        ET.SubElement(iface, "mac", address=self.mac_address)
        if self.type == "network":
            ET.SubElement(iface, "source", network=self.network or "default")
        ET.SubElement(iface, "model", type=self.model)
        return iface


@dataclasses.dataclass
class GuestConfig:
    name: str
    uuid: str
    memory_mb: int
    vcpus: int
    virt_type: str = "qemu"  # qemu (software emulation) | kvm
    arch: str = "x86_64"
    disks: list[GuestDisk] = dataclasses.field(default_factory=list)
    interfaces: list[GuestInterface] = dataclasses.field(default_factory=list)
    kernel: str | None = None  # direct kernel boot: the kernel, initrd and cmdline files
    initrd: str | None = None
    cmdline: str | None = None
    console_log: str | None = None  # the serial console's log file
    owner_host: str | None = None  # the compute host, in <metadata>
    display_name: str | None = None

    def to_element(self) -> ET.Element:
        domain = ET.Element("domain", type=self.virt_type)
        ET.SubElement(domain, "name").text = self.name
        ET.SubElement(domain, "uuid").text = self.uuid
        if self.display_name is not None:
            ET.SubElement(domain, "title").text = self.display_name
        if self.owner_host is not None:
            metadata = ET.SubElement(domain, "metadata")
            ET.SubElement(metadata, "{%s}instance" % METADATA_NS, host=self.owner_host)
        ET.SubElement(domain, "memory", unit="KiB").text = str(self.memory_mb * 1024)
        ET.SubElement(domain, "vcpu").text = str(self.vcpus)
        domain.append(self._os())
        features = ET.SubElement(domain, "features")
        ET.SubElement(features, "acpi")
        ET.SubElement(features, "apic")
        if self.virt_type == "kvm":
            ET.SubElement(domain, "cpu", mode="host-passthrough")
        ET.SubElement(domain, "clock", offset="utc")
        ET.SubElement(domain, "on_poweroff").text = "destroy"
        ET.SubElement(domain, "on_reboot").text = "restart"
        ET.SubElement(domain, "on_crash").text = "destroy"
        domain.append(self._devices())
        return domain

    def _os(self) -> ET.Element:
        os_ = ET.Element("os")
        ET.SubElement(os_, "type", arch=self.arch).text = "hvm"
        if self.kernel:
            ET.SubElement(os_, "kernel").text = self.kernel
            if self.initrd:
                ET.SubElement(os_, "initrd").text = self.initrd
            if self.cmdline:
                ET.SubElement(os_, "cmdline").text = self.cmdline
        else:
            ET.SubElement(os_, "boot", dev="hd")
        return os_

    def _devices(self) -> ET.Element:
        devices = ET.Element("devices")
        for disk in self.disks:
            devices.append(disk.to_element())
        for iface in self.interfaces:
            devices.append(iface.to_element())
        # The guest's ttyS0 is a pty (`virsh console`) whose output libvirt also logs to
        # console_log (through virtlogd, as Nova does), read by get_console_output.
        serial = ET.SubElement(devices, "serial", type="pty")
        if self.console_log:
            ET.SubElement(serial, "log", file=self.console_log, append="off")
        ET.SubElement(serial, "target", port="0")
        console = ET.SubElement(devices, "console", type="pty")
        ET.SubElement(console, "target", type="serial", port="0")
        ET.SubElement(devices, "memballoon", model="virtio")
        return devices

    def to_xml(self) -> str:
        element = self.to_element()
        ET.indent(element)
        return ET.tostring(element, encoding="unicode")


ET.register_namespace(METADATA_PREFIX, METADATA_NS)


def owner_host(domain_xml: str) -> str | None:
    """The compute host named in a domain's novalite <metadata>, or None (not ours)."""
    try:
        root = ET.fromstring(domain_xml)
    except ET.ParseError:
        return None
    found = root.find("metadata/{%s}instance" % METADATA_NS)
    return found.get("host") if found is not None else None
