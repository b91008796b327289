"""Nova's standard image-making actions through the stock tools: `openstack server image
create` (createImage) and `openstack server backup create` (createBackup with rotation),
and novaclient's `servers.create_image` / `servers.backup`."""

import time
import uuid

import pytest

from tests.clients.conftest import IMAGE_NAME


@pytest.fixture(scope="module")
def server(cloud):
    name = "img-" + uuid.uuid4().hex[:6]
    created = cloud.openstack("server", "create", "--image", IMAGE_NAME, "--flavor",
                              "m1.tiny", "--wait", name, "-f", "json")
    yield created
    cloud.openstack("server", "delete", "--wait", created["id"], check=False)


def _wait_server_idle(cloud, server_id):
    deadline = time.monotonic() + 60
    while True:
        shown = cloud.openstack("server", "show", server_id, "-f", "json")
        if shown.get("OS-EXT-STS:task_state") is None and shown["status"] == "ACTIVE":
            return shown
        assert time.monotonic() < deadline, shown
        time.sleep(0.5)


def test_server_image_create_waits_for_an_active_snapshot(cloud, server):
    name = "snap-" + uuid.uuid4().hex[:6]
    image = cloud.openstack("server", "image", "create", "--name", name, "--wait",
                            server["id"], "-f", "json")
    assert image["name"] == name
    shown = cloud.openstack("image", "show", name, "-f", "json")
    assert shown["status"] == "active"
    assert shown["properties"]["image_type"] == "snapshot"
    assert shown["properties"]["instance_uuid"] == server["id"]
    _wait_server_idle(cloud, server["id"])
    cloud.openstack("image", "delete", name)


def test_server_backup_create_rotates(cloud, server):
    names = []
    for i in range(3):
        name = "bk-%d-%s" % (i, uuid.uuid4().hex[:4])
        cloud.openstack("server", "backup", "create", "--name", name, "--type", "daily",
                        "--rotate", "2", "--wait", server["id"], "-f", "json")
        _wait_server_idle(cloud, server["id"])
        names.append(name)
    deadline = time.monotonic() + 30
    while True:
        listed = {i["Name"] for i in cloud.openstack("image", "list", "-f", "json")}
        if names[0] not in listed:
            break
        assert time.monotonic() < deadline, listed
        time.sleep(0.5)
    assert {names[1], names[2]} <= listed
    for name in names[1:]:
        cloud.openstack("image", "delete", name)
