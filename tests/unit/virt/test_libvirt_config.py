"""The domain XML builder, against the documents libvirt should get."""

import xml.etree.ElementTree as ET

from novalite.virt.libvirt import config


def _canonical(xml: str) -> str:
    return ET.canonicalize(xml, strip_text=True)


UUID = "0b5d3fe2-6e7a-4b8b-9a57-2f7f1c3e4a10"

MINIMAL = """
<domain type="qemu">
  <name>instance-0b5d3fe2-6e7a-4b8b-9a57-2f7f1c3e4a10</name>
  <uuid>0b5d3fe2-6e7a-4b8b-9a57-2f7f1c3e4a10</uuid>
  <memory unit="KiB">524288</memory>
  <vcpu>1</vcpu>
  <os><type arch="x86_64">hvm</type><boot dev="hd"/></os>
  <features><acpi/><apic/></features>
  <clock offset="utc"/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type="file" device="disk">
      <driver name="qemu" type="qcow2"/>
      <source file="/srv/i/disk"/>
      <target dev="vda" bus="virtio"/>
    </disk>
    <serial type="pty"><target port="0"/></serial>
    <console type="pty"><target type="serial" port="0"/></console>
    <memballoon model="virtio"/>
  </devices>
</domain>
"""

FULL = """
<domain type="kvm">
  <name>instance-0b5d3fe2-6e7a-4b8b-9a57-2f7f1c3e4a10</name>
  <uuid>0b5d3fe2-6e7a-4b8b-9a57-2f7f1c3e4a10</uuid>
  <title>web 1</title>
  <metadata>
    <novalite:instance xmlns:novalite="http://novalite.org/xmlns/libvirt/instance/1.0"
                       host="compute1"/>
  </metadata>
  <memory unit="KiB">2097152</memory>
  <vcpu>4</vcpu>
  <os>
    <type arch="x86_64">hvm</type>
    <kernel>/srv/_base/k</kernel>
    <initrd>/srv/_base/r</initrd>
    <cmdline>root=/dev/vda console=ttyS0</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <cpu mode="host-passthrough"/>
  <clock offset="utc"/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type="file" device="disk">
      <driver name="qemu" type="qcow2"/>
      <source file="/srv/i/disk"/>
      <target dev="vda" bus="virtio"/>
    </disk>
    <disk type="file" device="disk">
      <driver name="qemu" type="raw"/>
      <source file="/srv/i/disk.config"/>
      <target dev="vdb" bus="virtio"/>
      <readonly/>
    </disk>
    <interface type="user">
      <mac address="fa:16:3e:00:00:01"/>
      <model type="virtio"/>
    </interface>
    <serial type="pty">
      <log file="/srv/i/console.log" append="on"/>
      <target port="0"/>
    </serial>
    <console type="pty"><target type="serial" port="0"/></console>
    <memballoon model="virtio"/>
  </devices>
</domain>
"""


def test_minimal_guest():
    guest = config.GuestConfig(name="instance-" + UUID, uuid=UUID, memory_mb=512, vcpus=1,
                               disks=[config.GuestDisk("/srv/i/disk")])
    assert _canonical(guest.to_xml()) == _canonical(MINIMAL)


def test_kvm_guest_with_kernel_config_drive_network_and_console_log():
    guest = config.GuestConfig(
        name="instance-" + UUID, uuid=UUID, memory_mb=2048, vcpus=4, virt_type="kvm",
        display_name="web 1", owner_host="compute1", kernel="/srv/_base/k",
        initrd="/srv/_base/r", cmdline="root=/dev/vda console=ttyS0",
        console_log="/srv/i/console.log",
        disks=[config.GuestDisk("/srv/i/disk"),
               config.GuestDisk("/srv/i/disk.config", "vdb", "raw", readonly=True)],
        interfaces=[config.GuestInterface("fa:16:3e:00:00:01")])
    assert _canonical(guest.to_xml()) == _canonical(FULL)


def test_network_interface_names_its_network():
    iface = config.GuestInterface("fa:16:3e:00:00:02", type="network", network="default")
    assert _canonical(ET.tostring(iface.to_element(), encoding="unicode")) == _canonical(
        '<interface type="network"><mac address="fa:16:3e:00:00:02"/>'
        '<source network="default"/><model type="virtio"/></interface>')


def test_bridge_interface_is_a_tap_on_the_bridge():
    iface = config.GuestInterface("fa:16:3e:00:00:03", type="bridge",
                                  source_bridge="brq0123456789a", target_dev="tap0123456789a")
    assert _canonical(iface.to_xml()) == _canonical(
        '<interface type="bridge"><mac address="fa:16:3e:00:00:03"/>'
        '<source bridge="brq0123456789a"/><target dev="tap0123456789a"/>'
        '<model type="virtio"/></interface>')


def test_owner_host_is_read_back_from_the_metadata():
    guest = config.GuestConfig(name="instance-x", uuid=UUID, memory_mb=64, vcpus=1,
                               owner_host="compute2")
    assert config.owner_host(guest.to_xml()) == "compute2"
    # libvirt may write the metadata back with another prefix: the namespace counts.
    assert config.owner_host(
        '<domain><metadata><x:instance xmlns:x="%s" host="h9"/></metadata></domain>'
        % config.METADATA_NS) == "h9"


def test_domains_that_are_not_ours_have_no_owner():
    assert config.owner_host("<domain><name>test</name></domain>") is None
    assert config.owner_host('<domain><metadata><x:instance xmlns:x="urn:other" host="h"/>'
                             "</metadata></domain>") is None
    assert config.owner_host("not xml") is None


CONSOLES = """
<domain type="qemu">
  <name>instance-0b5d3fe2-6e7a-4b8b-9a57-2f7f1c3e4a10</name>
  <uuid>0b5d3fe2-6e7a-4b8b-9a57-2f7f1c3e4a10</uuid>
  <memory unit="KiB">131072</memory>
  <vcpu>1</vcpu>
  <os><type arch="x86_64">hvm</type><boot dev="hd"/></os>
  <features><acpi/><apic/></features>
  <clock offset="utc"/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type="file" device="disk">
      <driver name="qemu" type="qcow2"/>
      <source file="/srv/i/disk"/>
      <target dev="vda" bus="virtio"/>
    </disk>
    <serial type="tcp">
      <source mode="bind" host="127.0.0.1" service="10042"/>
      <protocol type="raw"/>
      <log file="/srv/i/console.log" append="on"/>
      <target port="0"/>
    </serial>
    <console type="tcp">
      <source mode="bind" host="127.0.0.1" service="10042"/>
      <protocol type="raw"/>
      <target type="serial" port="0"/>
    </console>
    <channel type="unix">
      <target type="virtio" name="org.qemu.guest_agent.0"/>
    </channel>
    <graphics type="vnc" autoport="yes" listen="127.0.0.1">
      <listen type="address" address="127.0.0.1"/>
    </graphics>
    <memballoon model="virtio"/>
  </devices>
</domain>
"""


def test_serial_console_on_tcp_logs_vnc_and_guest_agent():
    # The serial console a TCP server on 127.0.0.1 (for the serial proxy) still logged to
    # console.log, appending across restarts; VNC on 127.0.0.1 only, its port libvirt's
    # choice; the guest agent's channel with no path (libvirt makes the socket).
    guest = config.GuestConfig(name="instance-" + UUID, uuid=UUID, memory_mb=128, vcpus=1,
                               console_log="/srv/i/console.log", serial_port=10042,
                               vnc=True, guest_agent=True,
                               disks=[config.GuestDisk("/srv/i/disk")])
    assert _canonical(guest.to_xml()) == _canonical(CONSOLES)


def test_a_disk_with_a_boot_order_replaces_the_os_boot_device():
    # libvirt refuses <os><boot dev=.../> next to per-device <boot order=.../>.
    guest = config.GuestConfig(
        name="x", uuid=UUID, memory_mb=64, vcpus=1,
        disks=[config.GuestDisk("/srv/i/disk"),
               config.GuestDisk("/srv/i/disk.rescue", "sda", bus="scsi", boot_order=1)])
    root = ET.fromstring(guest.to_xml())
    assert root.find("os/boot") is None
    rescue = root.findall("devices/disk")[1]
    assert rescue.find("boot").get("order") == "1"
    assert rescue.find("target").attrib == {"dev": "sda", "bus": "scsi"}
    # A SCSI disk brings its controller: virtio-scsi, not libvirt's default lsilogic.
    assert root.find("devices/controller[@type='scsi']").get("model") == "virtio-scsi"
    no_scsi = config.GuestConfig(name="x", uuid=UUID, memory_mb=64, vcpus=1,
                                 disks=[config.GuestDisk("/srv/i/disk")])
    assert ET.fromstring(no_scsi.to_xml()).find("devices/controller") is None


def test_target_dev_names_follow_the_bus():
    assert [config.target_dev(bus, i) for bus, i in (
        ("virtio", 0), ("virtio", 2), ("scsi", 0), ("sata", 1), ("usb", 0), ("ide", 0))] \
        == ["vda", "vdc", "sda", "sdb", "sda", "hda"]


# What libvirt writes back for a running domain (abridged from a real QEMU guest's).
LIVE = """<domain type='qemu' id='7'><name>instance-x</name><devices>
  <serial type='tcp'>
    <source mode='bind' host='127.0.0.1' service='10555'/>
    <protocol type='raw'/><log file='/srv/i/console.log' append='on'/>
    <target type='isa-serial' port='0'><model name='isa-serial'/></target>
  </serial>
  <console type='tcp'><source mode='bind' host='127.0.0.1' service='10555'/>
    <target type='serial' port='0'/></console>
  <channel type='unix'>
    <source mode='bind' path='/run/libvirt/qemu/channel/7/org.qemu.guest_agent.0'/>
    <target type='virtio' name='org.qemu.guest_agent.0' state='connected'/></channel>
  <graphics type='vnc' port='5901' autoport='yes' listen='127.0.0.1'>
    <listen type='address' address='127.0.0.1'/></graphics>
</devices></domain>"""


def test_console_addresses_are_read_from_the_live_xml():
    assert config.vnc_address(LIVE) == ("127.0.0.1", 5901)
    assert config.serial_tcp_address(LIVE) == ("127.0.0.1", 10555)
    assert config.has_guest_agent(LIVE)


def test_no_console_address_before_libvirt_assigns_one_or_without_the_device():
    # A defined, not started domain: autoport's port is -1 until the guest starts.
    defined = LIVE.replace("port='5901'", "port='-1'")
    assert config.vnc_address(defined) is None
    pty = config.GuestConfig(name="x", uuid=UUID, memory_mb=64, vcpus=1).to_xml()
    assert config.vnc_address(pty) is None
    assert config.serial_tcp_address(pty) is None
    assert not config.has_guest_agent(pty)
    assert config.vnc_address("not xml") is None and config.serial_tcp_address("") is None
