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
