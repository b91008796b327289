"""The domain an instance gets: its disks for a boot and for a rescue (legacy and Nova's
stable rescue), the image properties it is built from, and the direct kernel boot."""

import xml.etree.ElementTree as ET

import pytest

from novalite import conf as nl_conf
from novalite.objects.flavor import Flavor
from novalite.objects.instance import Instance
from novalite.virt import driver
from novalite.virt.libvirt import guest

UUID = "0b5d3fe2-6e7a-4b8b-9a57-2f7f1c3e4a10"


def _instance(**extra) -> Instance:
    flavor = Flavor(flavorid="t", name="tiny", vcpus=2, memory_mb=256, root_gb=1)
    return Instance(uuid=UUID, project_id="p", user_id="u", display_name="vm",
                    flavor=flavor, **extra)


def _layout(disks):
    return [(d.source_path.rsplit("/", 1)[-1], d.target_dev, d.bus, d.device, d.boot_order)
            for d in disks]


def test_instance_disks_are_its_disk_then_its_config_drive():
    assert _layout(guest.instance_disks("/i", True)) == [
        ("disk", "vda", "virtio", "disk", None), ("disk.config", "vdb", "virtio", "disk", None)]
    assert _layout(guest.instance_disks("/i", False)) == [
        ("disk", "vda", "virtio", "disk", None)]


def test_legacy_rescue_boots_the_rescue_disk_with_the_instance_disk_second():
    assert _layout(guest.rescue_disks("/i", True, None)) == [
        ("disk.rescue", "vda", "virtio", "disk", None),
        ("disk", "vdb", "virtio", "disk", None),
        ("disk.config", "vdc", "virtio", "disk", None)]
    disks = guest.rescue_disks("/i", False, None)
    assert [d.target_dev for d in disks] == ["vda", "vdb"]
    assert not any(d.readonly for d in disks)  # the user repairs the instance's disk


@pytest.mark.parametrize("meta, rescue", [
    # The instance's disks keep their names; the rescue disk comes after, booted first.
    ({"hw_rescue_bus": "virtio"}, ("disk.rescue", "vdc", "virtio", "disk", 1)),
    ({"hw_rescue_device": "disk"}, ("disk.rescue", "vdc", "virtio", "disk", 1)),
    ({"hw_rescue_bus": "scsi"}, ("disk.rescue", "sda", "scsi", "disk", 1)),
    ({"hw_rescue_bus": "sata"}, ("disk.rescue", "sda", "sata", "disk", 1)),
    ({"hw_rescue_bus": "usb"}, ("disk.rescue", "sda", "usb", "disk", 1)),
    ({"hw_rescue_device": "cdrom"}, ("disk.rescue", "hda", "ide", "cdrom", 1)),
    ({"hw_rescue_device": "cdrom", "hw_rescue_bus": "sata"},
     ("disk.rescue", "sda", "sata", "cdrom", 1)),
])
def test_stable_rescue_attaches_the_rescue_disk_after_the_instance_disks(meta, rescue):
    disks = guest.rescue_disks("/i", True, guest.rescue_layout(meta))
    assert _layout(disks) == [("disk", "vda", "virtio", "disk", None),
                              ("disk.config", "vdb", "virtio", "disk", None), rescue]
    assert disks[-1].readonly == (rescue[3] == "cdrom")


def test_legacy_rescue_without_the_properties():
    assert guest.rescue_layout({"disk_format": "qcow2"}) is None


@pytest.mark.parametrize("meta, message", [
    ({"hw_rescue_device": "floppy"}, "hw_rescue_device 'floppy'"),
    ({"hw_rescue_bus": "xen"}, "hw_rescue_bus 'xen'"),
    ({"hw_rescue_device": "cdrom", "hw_rescue_bus": "virtio"}, "virtio"),
])
def test_rescue_layouts_qemu_guests_cannot_have_are_refused(meta, message):
    with pytest.raises(driver.HypervisorError, match=message):
        guest.rescue_layout(meta)


def test_image_properties_come_from_system_metadata_and_the_image():
    instance = _instance(system_metadata={"image_hw_qemu_guest_agent": "yes",
                                          "image_os_admin_user": "admin",
                                          "rebuild_from_vm_state": "active"})
    assert guest.image_properties(instance) == {"hw_qemu_guest_agent": "yes",
                                                "os_admin_user": "admin"}
    # The image's own metadata (spawn has it) wins.
    assert guest.image_properties(instance, {"hw_qemu_guest_agent": "no"})[
        "hw_qemu_guest_agent"] == "no"


@pytest.mark.parametrize("value, yes", [("yes", True), ("True", True), ("1", True),
                                        ("on", True), (True, True), ("no", False),
                                        ("false", False), (None, False), ("", False)])
def test_truthy_reads_image_booleans_as_nova(value, yes):
    assert guest.truthy(value) is yes


def test_admin_user():
    assert guest.admin_user({}) == "root"
    assert guest.admin_user({"os_type": "windows"}) == "Administrator"
    assert guest.admin_user({"os_admin_user": "cloud", "os_type": "windows"}) == "cloud"


def test_build_sizes_the_guest_by_the_flavor_with_its_consoles_and_agent(tmp_path):
    conf = nl_conf.new_conf()
    (tmp_path / "k").write_bytes(b"kernel")
    (tmp_path / "r").write_bytes(b"ramdisk")
    instance = _instance()
    config_ = guest.build(
        instance, conf, owner="compute2", directory="/i",
        disks=guest.instance_disks("/i", False), props={"hw_qemu_guest_agent": "yes"},
        boot={"kernel_id": "k", "ramdisk_id": "r", "os_command_line": "console=ttyS0"},
        base_dir=str(tmp_path), network_info=[{"mac": "fa:16:3e:00:00:09"}],
        serial_port=10001)
    root = ET.fromstring(config_.to_xml())
    assert root.find("memory").text == str(256 * 1024) and root.find("vcpu").text == "2"
    assert root.find("os/kernel").text == str(tmp_path / "k")
    assert root.find("os/initrd").text == str(tmp_path / "r")
    assert root.find("os/cmdline").text == "console=ttyS0"
    assert root.find("devices/graphics").get("listen") == "127.0.0.1"
    assert root.find("devices/serial/source").get("service") == "10001"
    assert root.find("devices/serial/log").get("file") == "/i/console.log"
    assert root.find("devices/channel/target").get("name") == "org.qemu.guest_agent.0"
    assert root.find("devices/interface/mac").get("address") == "fa:16:3e:00:00:09"
    # Without the property, no channel; without a kernel, a disk boot.
    plain = ET.fromstring(guest.build(
        instance, conf, owner="compute2", directory="/i",
        disks=guest.instance_disks("/i", False), props={}, boot={},
        base_dir=str(tmp_path), network_info=[], serial_port=10001).to_xml())
    assert plain.find("devices/channel") is None
    assert plain.find("os/kernel") is None and plain.find("os/boot").get("dev") == "hd"


def test_a_bridge_vif_is_a_tap_on_its_network_bridge_others_user_networking():
    bridged = guest.interface({"id": "8f14e45f-ceea-467f-a0e6-6f2b1a4c5d11",
                               "mac": "fa:16:3e:00:00:07", "type": "bridge",
                               "network_id": "3c59dc04-8b1f-4e2a-9f7e-1a2b3c4d5e6f",
                               "devname": "tap8f14e45f-ce"}, UUID, 0)
    xml = ET.fromstring(bridged.to_xml())
    assert xml.get("type") == "bridge"
    assert xml.find("source").get("bridge") == "brq3c59dc04-8b"
    assert xml.find("target").get("dev") == "tap8f14e45f-ce"
    assert xml.find("mac").get("address") == "fa:16:3e:00:00:07"
    for vif_type in ("ovs", "binding_failed", None):
        other = ET.fromstring(guest.interface({"id": "p", "mac": "fa:16:3e:00:00:08",
                                               "type": vif_type, "network_id": "n"},
                                              UUID, 0).to_xml())
        assert other.get("type") == "user" and other.find("source") is None


def test_a_kernel_missing_from_the_image_cache_is_an_error(tmp_path):
    with pytest.raises(driver.HypervisorError, match="not in the host's image cache"):
        guest.build(_instance(), nl_conf.new_conf(), owner="h", directory="/i", disks=[],
                    props={}, boot={"kernel_id": "gone"}, base_dir=str(tmp_path),
                    network_info=[], serial_port=None)
