"""The power, lock and admin-state actions driven by the real clients: the `openstack`
CLI (server pause/unpause/suspend/resume/lock/unlock/set --state/dump create) and
openstacksdk's compute proxy (pause_server, suspend_server, lock_server, wait_for_server
...)."""

import uuid

from tests.clients.conftest import IMAGE_NAME


def _status(cloud, name):
    return cloud.openstack("server", "show", name, "-f", "json")


def _wait(cloud, name, status):
    done = cloud.openstack("server", "show", name, "-f", "json")
    for _ in range(200):
        if done["status"] == status:
            return done
        done = cloud.openstack("server", "show", name, "-f", "json")
    raise AssertionError("%s is %s, not %s" % (name, done["status"], status))


def test_openstack_cli_power_and_lock(cloud):
    name = "acts-" + uuid.uuid4().hex[:6]
    server_id = cloud.openstack("server", "create", "--image", IMAGE_NAME, "--flavor",
                                "m1.tiny", "--wait", name, "-f", "json")["id"]
    cloud.openstack("server", "pause", name)
    assert _wait(cloud, name, "PAUSED")["OS-EXT-STS:power_state"] == 3  # OSC: raw in JSON
    cloud.openstack("server", "unpause", name)
    _wait(cloud, name, "ACTIVE")
    cloud.openstack("server", "suspend", name)
    _wait(cloud, name, "SUSPENDED")
    cloud.openstack("server", "resume", name)
    _wait(cloud, name, "ACTIVE")
    cloud.openstack("--os-compute-api-version", "2.73", "server", "lock", "--reason",
                    "change freeze", name)
    shown = cloud.openstack("--os-compute-api-version", "2.73", "server", "show", name,
                            "-f", "json")
    assert shown["locked"] is True and shown["locked_reason"] == "change freeze"
    refused = cloud.openstack("server", "pause", name, check=False)
    assert refused.returncode != 0 and "is locked" in refused.stderr
    cloud.openstack("server", "unlock", name)
    cloud.openstack("server", "dump", "create", name)  # trigger_crash_dump, 2.17
    # An administrator's repair (by id: the name is the demo project's): the state set to
    # error, then back to active.
    cloud.openstack("server", "set", "--auto-approve", "--state", "error", server_id,
                    cloud="novalite-admin")
    assert _status(cloud, name)["status"] == "ERROR"
    cloud.openstack("server", "set", "--auto-approve", "--state", "active", server_id,
                    cloud="novalite-admin")
    assert _status(cloud, name)["status"] == "ACTIVE"
    cloud.openstack("server", "delete", "--wait", name)


def test_openstacksdk_compute_proxy(conn):
    image = conn.image.find_image(IMAGE_NAME)
    flavor = conn.compute.find_flavor("m1.tiny")
    server = conn.compute.create_server(name="sdk-acts-" + uuid.uuid4().hex[:6],
                                        image_id=image.id, flavor_id=flavor.id,
                                        networks="auto")
    server = conn.compute.wait_for_server(server, wait=60)
    conn.compute.pause_server(server)
    server = conn.compute.wait_for_server(server, status="PAUSED", wait=60)
    assert server.power_state == 3
    conn.compute.unpause_server(server)
    conn.compute.wait_for_server(server, status="ACTIVE", wait=60)
    conn.compute.suspend_server(server)
    conn.compute.wait_for_server(server, status="SUSPENDED", wait=60)
    conn.compute.resume_server(server)
    conn.compute.wait_for_server(server, status="ACTIVE", wait=60)
    conn.compute.lock_server(server, locked_reason="sdk lock")
    server = conn.compute.get_server(server)
    assert server.is_locked is True
    conn.compute.unlock_server(server)
    assert conn.compute.get_server(server).is_locked is False
    conn.compute.delete_server(server)
    conn.compute.wait_for_delete(server, wait=60)
