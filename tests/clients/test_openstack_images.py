"""The `openstack` CLI's image commands against `novalite serve`: the Glance v2 round trip
(create with a file, list, show, save, set, delete)."""

import hashlib
import os
import uuid

from tests.clients.conftest import IMAGE_NAME


def test_image_round_trip(cloud, tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 17)
    source = tmp_path / "disk.qcow2"
    source.write_bytes(data)
    name = "cli-img-" + uuid.uuid4().hex[:6]
    created = cloud.openstack("image", "create", "--file", str(source), "--disk-format",
                              "qcow2", "--container-format", "bare", "--property",
                              "os_distro=cirros", name, "-f", "json")
    assert created["status"] == "active" and created["size"] == len(data)
    assert created["checksum"] == hashlib.md5(data).hexdigest()
    listed = {i["Name"]: i for i in cloud.openstack("image", "list", "-f", "json")}
    assert listed[name]["Status"] == "active" and IMAGE_NAME in listed
    shown = cloud.openstack("image", "show", name, "-f", "json")
    assert shown["id"] == created["id"] and shown["disk_format"] == "qcow2"
    assert shown["properties"]["os_distro"] == "cirros"
    assert shown["properties"]["os_hash_value"] == hashlib.sha512(data).hexdigest()
    out = tmp_path / "saved"
    cloud.openstack("image", "save", "--file", str(out), name)
    assert out.read_bytes() == data
    cloud.openstack("image", "set", "--property", "flavour=vanilla", "--tag", "t1", name)
    shown = cloud.openstack("image", "show", name, "-f", "json")
    assert shown["properties"]["flavour"] == "vanilla" and shown["tags"] == ["t1"]
    cloud.openstack("image", "delete", name)
    names = [i["Name"] for i in cloud.openstack("image", "list", "-f", "json")]
    assert name not in names


def test_demo_image_downloads_intact(cloud, tmp_path):
    out = tmp_path / "cirros"
    # The CLI checks the download against os_hash_value: a wrong hash fails the command.
    cloud.openstack("image", "save", "--file", str(out), IMAGE_NAME)
    shown = cloud.openstack("image", "show", IMAGE_NAME, "-f", "json")
    assert out.stat().st_size == shown["size"] > 0
    assert hashlib.md5(out.read_bytes()).hexdigest() == shown["checksum"]


def test_protected_image_cannot_be_deleted(cloud, tmp_path):
    name = "cli-prot-" + uuid.uuid4().hex[:6]
    cloud.openstack("image", "create", "--protected", "--disk-format", "raw",
                    "--container-format", "bare", name)
    refused = cloud.openstack("image", "delete", name, check=False)
    assert refused.returncode != 0
    cloud.openstack("image", "set", "--unprotected", name)
    cloud.openstack("image", "delete", name)
