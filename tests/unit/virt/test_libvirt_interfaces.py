"""os-interface on the libvirt driver: a hot-plugged interface is the one a boot gives the
guest (virtio, the port's MAC), plugged into the live domain and its definition while it
runs, only into the definition while it is shut off, and unplugged the same way. On stub
domains: libvirt's test hypervisor has no device hot-plug."""

import xml.etree.ElementTree as ET

import pytest

from tests.unit.virt.libvirt_required import require_libvirt

libvirt = require_libvirt()

from novalite import conf as nl_conf  # noqa: E402
from novalite.objects.flavor import Flavor  # noqa: E402
from novalite.objects.instance import Instance  # noqa: E402
from novalite.virt import driver  # noqa: E402
from novalite.virt.libvirt import guest  # noqa: E402
from novalite.virt.libvirt.driver import LibvirtDriver  # noqa: E402

UUID = "0b5d3fe2-6e7a-4b8b-9a57-2f7f1c3e4a10"
BOOTED = {"id": "port-1", "mac": "fa:16:3e:00:00:01"}
NEW = {"id": "port-2", "mac": "fa:16:3e:00:00:02"}


def _instance(network_info) -> Instance:
    return Instance(uuid=UUID, project_id="p", user_id="u", display_name="vm",
                    flavor=Flavor(flavorid="t", name="tiny", vcpus=1, memory_mb=128,
                                  root_gb=1), network_info=network_info)


def test_the_interface_xml_is_the_one_a_boot_gives():
    element = ET.fromstring(guest.interface(NEW, UUID, 1).to_xml())
    assert element.tag == "interface" and element.get("type") == "user"
    assert element.find("mac").get("address") == "fa:16:3e:00:00:02"
    assert element.find("model").get("type") == "virtio"
    booted = ET.fromstring(guest.build(
        _instance([NEW]), nl_conf.new_conf(), owner="h", directory="/i",
        disks=guest.instance_disks("/i", False), props={}, boot={}, base_dir="/b",
        network_info=[NEW], serial_port=10001).to_xml()).find("devices/interface")
    assert _canonical(booted) == _canonical(element)


def _canonical(element) -> str:
    return ET.canonicalize(ET.tostring(element, encoding="unicode"), strip_text=True)


class _Domain:
    def __init__(self, active: bool, fail: bool = False):
        self.active, self.fail, self.calls = active, fail, []

    def isActive(self):
        return self.active

    def attachDeviceFlags(self, xml, flags):
        self._call("attach", xml, flags)

    def detachDeviceFlags(self, xml, flags):
        self._call("detach", xml, flags)

    def _call(self, operation, xml, flags):
        if self.fail:
            raise libvirt.libvirtError("no such device")
        self.calls.append((operation, ET.fromstring(xml).find("mac").get("address"), flags))


class _Host:
    def __init__(self, domain):
        self.domain = domain

    def lookup(self, instance_uuid):
        return self.domain


def _driver(domain) -> LibvirtDriver:
    libvirt_driver = LibvirtDriver.__new__(LibvirtDriver)  # no connection, no qemu-img
    libvirt_driver.libvirt_host = _Host(domain)
    return libvirt_driver


LIVE_AND_CONFIG = libvirt.VIR_DOMAIN_AFFECT_LIVE | libvirt.VIR_DOMAIN_AFFECT_CONFIG


@pytest.mark.parametrize("active,flags", [(True, LIVE_AND_CONFIG),
                                          (False, libvirt.VIR_DOMAIN_AFFECT_CONFIG)])
def test_attach_and_detach_change_the_live_guest_only_while_it_runs(active, flags):
    domain = _Domain(active)
    libvirt_driver = _driver(domain)
    libvirt_driver.attach_interface(_instance([BOOTED]), {}, NEW)
    libvirt_driver.detach_interface(_instance([BOOTED, NEW]), NEW)
    assert domain.calls == [("attach", NEW["mac"], flags), ("detach", NEW["mac"], flags)]


def test_a_libvirt_error_is_a_hypervisor_error_and_no_domain_is_not_running():
    with pytest.raises(driver.HypervisorError, match="Cannot attach an interface"):
        _driver(_Domain(True, fail=True)).attach_interface(_instance([]), {}, NEW)
    with pytest.raises(driver.InstanceNotRunning):
        _driver(None).detach_interface(_instance([NEW]), NEW)
