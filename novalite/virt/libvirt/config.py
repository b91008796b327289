"""The guest's libvirt domain XML, built from plain dataclasses (as Nova's
virt/libvirt/config.py, without its class hierarchy).

    GuestConfig(name, uuid, memory_mb, vcpus, disks=[...], ...).to_xml() -> str

Only what novalite's guests use: file disks on virtio (or, for a stable rescue, another
bus), a direct kernel boot, a serial console (a pty, or a TCP port on 127.0.0.1) whose
output is logged to a file, a VNC display on 127.0.0.1, the QEMU guest agent's channel,
interfaces on a host bridge (or user-mode networking), and a metadata element naming the
compute host that owns the domain.

The readers at the end take what libvirt assigned back out of a live domain's XML (the VNC
port, the serial console's TCP port).
"""

import dataclasses
import xml.etree.ElementTree as ET

# The namespace of novalite's <metadata> element in every domain it defines.
METADATA_NS = "http://novalite.org/xmlns/libvirt/instance/1.0"
METADATA_PREFIX = "novalite"


# A disk bus -> the prefix of its guest device names (vda, sda, hda).
DISK_PREFIXES = {"virtio": "vd", "scsi": "sd", "sata": "sd", "usb": "sd", "ide": "hd"}
GUEST_AGENT_CHANNEL = "org.qemu.guest_agent.0"
LOCALHOST = "127.0.0.1"


def target_dev(bus: str, index: int) -> str:
    """The index-th device name on a bus: target_dev("virtio", 1) == "vdb"."""
    return DISK_PREFIXES[bus] + "abcdefghijklmnopqrstuvwxyz"[index]


@dataclasses.dataclass
class GuestDisk:
    source_path: str
    target_dev: str = "vda"
    driver_type: str = "qcow2"  # the file's format: qcow2 | raw
    device: str = "disk"  # disk | cdrom
    bus: str = "virtio"
    readonly: bool = False
    boot_order: int | None = None  # per-device boot order (then no <os><boot dev=.../>)

    def to_element(self) -> ET.Element:
        disk = ET.Element("disk", type="file", device=self.device)
        ET.SubElement(disk, "driver", name="qemu", type=self.driver_type)
        ET.SubElement(disk, "source", file=self.source_path)
        ET.SubElement(disk, "target", dev=self.target_dev, bus=self.bus)
        if self.boot_order is not None:
            ET.SubElement(disk, "boot", order=str(self.boot_order))
        if self.readonly:
            ET.SubElement(disk, "readonly")
        return disk


@dataclasses.dataclass
class GuestInterface:
    mac_address: str
    model: str = "virtio"
    # user: QEMU's own user-mode network (no bridge, no root); network: a libvirt network;
    # bridge: a tap device (target_dev) libvirt makes on a host bridge (source_bridge).
    type: str = "user"
    network: str | None = None
    source_bridge: str | None = None
    target_dev: str | None = None

    def to_element(self) -> ET.Element:
        iface = ET.Element("interface", type=self.type)
        ET.SubElement(iface, "mac", address=self.mac_address)
        if self.type == "network":
            ET.SubElement(iface, "source", network=self.network or "default")
        elif self.type == "bridge":
            ET.SubElement(iface, "source", bridge=self.source_bridge)
        if self.target_dev:
            ET.SubElement(iface, "target", dev=self.target_dev)
        ET.SubElement(iface, "model", type=self.model)
        return iface

    def to_xml(self) -> str:
        """The device alone, as attachDeviceFlags and detachDeviceFlags take it."""
        element = self.to_element()
        ET.indent(element)
        return ET.tostring(element, encoding="unicode")


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
    # The serial console as a raw TCP server on 127.0.0.1:serial_port; None: a pty.
    serial_port: int | None = None
    vnc: bool = False  # a VNC display on 127.0.0.1, its port chosen by libvirt at start
    guest_agent: bool = False  # the QEMU guest agent's virtio-serial channel
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
        elif not any(d.boot_order is not None for d in self.disks):
            # libvirt refuses both this and per-device boot orders.
            ET.SubElement(os_, "boot", dev="hd")
        return os_

    def _devices(self) -> ET.Element:
        devices = ET.Element("devices")
        for disk in self.disks:
            devices.append(disk.to_element())
        if any(d.bus == "scsi" for d in self.disks):
            # Else libvirt picks lsilogic, which few guests (and not every QEMU) have.
            ET.SubElement(devices, "controller", type="scsi", index="0",
                          model="virtio-scsi")
        for iface in self.interfaces:
            devices.append(iface.to_element())
        # The guest's ttyS0: a pty (`virsh console`) or a TCP server for the serial console
        # proxy, whose output libvirt also logs to console_log (through virtlogd, appending
        # across restarts, as Nova does), read by get_console_output.
        kind = "pty" if self.serial_port is None else "tcp"
        for tag in ("serial", "console"):
            char = ET.SubElement(devices, tag, type=kind)
            if self.serial_port is not None:
                ET.SubElement(char, "source", mode="bind", host=LOCALHOST,
                              service=str(self.serial_port))
                ET.SubElement(char, "protocol", type="raw")
            if tag == "serial" and self.console_log:
                ET.SubElement(char, "log", file=self.console_log, append="on")
            if tag == "serial":
                ET.SubElement(char, "target", port="0")
            else:  # the same device, as libvirt reads a serial-type console
                ET.SubElement(char, "target", type="serial", port="0")
        if self.guest_agent:
            # No source path: libvirt makes the socket and talks to the agent itself.
            channel = ET.SubElement(devices, "channel", type="unix")
            ET.SubElement(channel, "target", type="virtio", name=GUEST_AGENT_CHANNEL)
        if self.vnc:
            graphics = ET.SubElement(devices, "graphics", type="vnc", autoport="yes",
                                     listen=LOCALHOST)
            ET.SubElement(graphics, "listen", type="address", address=LOCALHOST)
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


def _root(domain_xml: str) -> ET.Element | None:
    try:
        return ET.fromstring(domain_xml)
    except ET.ParseError:
        return None


def vnc_address(domain_xml: str) -> tuple[str, int] | None:
    """(host, port) of a running domain's VNC display, or None (none, or not started:
    libvirt writes the port it chose into the live XML only)."""
    root = _root(domain_xml)
    graphics = root.find("devices/graphics[@type='vnc']") if root is not None else None
    if graphics is None:
        return None
    port = int(graphics.get("port") or -1)
    if port <= 0:
        return None
    listen = graphics.find("listen[@type='address']")
    host = (listen.get("address") if listen is not None else None) or \
        graphics.get("listen") or LOCALHOST
    return host, port


def serial_tcp_address(domain_xml: str) -> tuple[str, int] | None:
    """(host, port) of a domain's first serial port when it is a TCP server, else None."""
    root = _root(domain_xml)
    if root is None:
        return None
    for serial in root.findall("devices/serial[@type='tcp']"):
        source = serial.find("source[@mode='bind']")
        if source is not None and source.get("service"):
            return source.get("host") or LOCALHOST, int(source.get("service"))
    return None


def has_guest_agent(domain_xml: str) -> bool:
    root = _root(domain_xml)
    return root is not None and root.find(
        "devices/channel/target[@name='%s']" % GUEST_AGENT_CHANNEL) is not None
