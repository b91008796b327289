"""openstacksdk's image proxy against `novalite serve`: upload, download (the SDK checks
the bytes against os_hash_value), properties, and members of a shared image."""

import hashlib
import os
import uuid

import openstack
import pytest


@pytest.fixture(scope="module")
def clouds(cloud):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OS_CLIENT_CONFIG_FILE", cloud.clouds_yaml)
        demo = openstack.connect(cloud="novalite")
        admin = openstack.connect(cloud="novalite-admin")
        yield demo, admin
        demo.close()
        admin.close()


def test_upload_and_download(clouds, tmp_path):
    demo, _ = clouds
    data = os.urandom(2 * 1024 * 1024 + 3)
    source = tmp_path / "disk.raw"
    source.write_bytes(data)
    image = demo.image.create_image(name="sdk-" + uuid.uuid4().hex[:6], filename=str(source),
                                    disk_format="raw", container_format="bare",
                                    wait=True, os_distro="cirros")
    image = demo.image.get_image(image.id)  # the SDK returns the record of before the data
    assert image.status == "active" and image.size == len(data)
    assert image.hash_value == hashlib.sha512(data).hexdigest()
    out = tmp_path / "out"
    demo.image.download_image(image, output=str(out))
    assert out.read_bytes() == data
    demo.image.update_image(image, flavour="vanilla")
    assert demo.image.get_image(image.id).properties["flavour"] == "vanilla"
    demo.image.delete_image(image)
    assert demo.image.find_image(image.id) is None


def test_members(clouds):
    demo, admin = clouds
    image = demo.image.create_image(name="shared-" + uuid.uuid4().hex[:6],
                                    disk_format="raw", container_format="bare",
                                    visibility="shared", allow_duplicates=True)
    member = demo.image.add_member(image, member_id=admin.current_project_id)
    assert member.status == "pending"
    admin.image.update_member(member, image, status="accepted")
    listed = demo.image.members(image)
    assert [(m.member_id, m.status) for m in listed] == [
        (admin.current_project_id, "accepted")]
    demo.image.remove_member(member, image)
    assert list(demo.image.members(image)) == []
    demo.image.delete_image(image)
