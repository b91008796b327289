"""Config drives, read back with pycdlib as a guest's cloud-init would read them."""

import base64
import json

from novalite.objects.flavor import Flavor
from novalite.objects.instance import Instance
from novalite.virt.libvirt import config_drive


def _instance(**kw) -> Instance:
    values = dict(uuid="9d1c8e8e-35a6-4a3c-b0a5-7f4fd0a5b0c1", project_id="p1", user_id="u1",
                  display_name="web 1", hostname="web-1", launch_index=2,
                  availability_zone="az1", key_name="mykey", key_data="ssh-ed25519 AAAA x",
                  metadata={"role": "web"},
                  flavor=Flavor(flavorid="1", name="m1.tiny", vcpus=1, memory_mb=512,
                                root_gb=1))
    values.update(kw)
    return Instance(**values)


def test_drive_holds_meta_data_and_user_data(tmp_path):
    instance = _instance(user_data=base64.b64encode(b"#cloud-config\n{}\n").decode())
    path = str(tmp_path / "disk.config")
    config_drive.make(path, config_drive.files(instance))
    drive = config_drive.read(path)
    assert drive[""] == b"config-2"
    assert set(drive) == {"", "openstack/latest/meta_data.json", "openstack/latest/user_data"}
    assert json.loads(drive["openstack/latest/meta_data.json"]) == {
        "uuid": instance.uuid, "name": "web 1", "hostname": "web-1", "launch_index": 2,
        "availability_zone": "az1", "public_keys": {"mykey": "ssh-ed25519 AAAA x"},
        "project_id": "p1", "meta": {"role": "web"}}
    assert drive["openstack/latest/user_data"] == b"#cloud-config\n{}\n"


def test_no_user_data_no_file_and_no_key_no_keys(tmp_path):
    path = str(tmp_path / "disk.config")
    config_drive.make(path, config_drive.files(_instance(key_name=None, key_data=None)))
    drive = config_drive.read(path)
    assert set(drive) == {"", "openstack/latest/meta_data.json"}
    assert json.loads(drive["openstack/latest/meta_data.json"])["public_keys"] == {}


def test_which_servers_get_a_drive():
    assert config_drive.required(_instance(config_drive="True"), force=False)
    assert not config_drive.required(_instance(config_drive=""), force=False)
    assert config_drive.required(_instance(config_drive=""), force=True)


def test_drive_holds_network_data_of_the_servers_ports(tmp_path):
    vif = {"id": "port-1", "network": "net", "network_id": "net-1", "mac": "fa:16:3e:00:00:01",
           "devname": "tapport-1", "type": "ovs",
           "ips": [{"address": "10.1.0.5", "version": 4, "type": "fixed", "subnet_id": "s4"},
                   {"address": "172.24.4.9", "version": 4, "type": "floating"}],
           "subnets": [{"id": "s4", "cidr": "10.1.0.0/24", "ip_version": 4,
                        "gateway_ip": "10.1.0.1", "dns_nameservers": ["10.1.0.53"],
                        "host_routes": [{"destination": "192.168.0.0/16",
                                         "nexthop": "10.1.0.254"}],
                        "enable_dhcp": True, "ipv6_address_mode": None}]}
    path = str(tmp_path / "disk.config")
    config_drive.make(path, config_drive.files(_instance(network_info=[vif])))
    assert json.loads(config_drive.read(path)["openstack/latest/network_data.json"]) == {
        "links": [{"id": "tapport-1", "vif_id": "port-1", "type": "ovs", "mtu": None,
                   "ethernet_mac_address": "fa:16:3e:00:00:01"}],
        "networks": [{"id": "network0", "type": "ipv4", "link": "tapport-1",
                      "ip_address": "10.1.0.5", "netmask": "255.255.255.0",
                      "routes": [{"network": "0.0.0.0", "netmask": "0.0.0.0",
                                  "gateway": "10.1.0.1"},
                                 {"network": "192.168.0.0", "netmask": "255.255.0.0",
                                  "gateway": "10.1.0.254"}],
                      "network_id": "net-1",
                      "services": [{"type": "dns", "address": "10.1.0.53"}]}],
        "services": [{"type": "dns", "address": "10.1.0.53"}]}
