"""novalite's OpenStackClient plugin: `openstack server multi show` and `openstack server
backup instance`, run as the stock `openstack` CLI against `novalite serve`."""

import uuid

import pytest
from keystoneauth1 import adapter

from tests.clients import ext_helpers as h
from tests.clients.conftest import IMAGE_NAME

UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def sess(cloud):
    return h.make_session(cloud)


@pytest.fixture(scope="module")
def servers(sess):
    booted = h.boot_servers(sess, 3, prefix="oscext")
    yield booted
    h.delete_servers(sess, booted)


def test_plugin_commands_are_listed(cloud):
    done = cloud.openstack("command", "list", "--group", "novalite", "-f", "json")
    commands = {c for group in done for c in group["Commands"]}
    assert {"server multi show", "server backup instance"} <= commands


def test_multi_show_by_id_and_name(cloud, servers):
    rows = cloud.openstack("server", "multi", "show", servers[0]["id"], servers[1]["name"],
                           servers[2]["name"], "-f", "json")
    assert [r["ID"] for r in rows] == [s["id"] for s in servers]
    for row, server in zip(rows, servers, strict=True):
        # The columns and formats of `openstack server list`.
        assert set(row) == {"ID", "Name", "Status", "Networks", "Image", "Flavor"}
        assert row["Name"] == server["name"] and row["Status"] == "ACTIVE"
        assert row["Networks"] == {"private": [server["addresses"]["private"][0]["addr"]]}
        assert row["Image"] == IMAGE_NAME
        assert row["Flavor"] == "m1.tiny"


def test_multi_show_agrees_with_server_list(cloud, servers):
    listed = {r["ID"]: r for r in cloud.openstack("server", "list", "-f", "json")}
    rows = cloud.openstack("server", "multi", "show", *[s["id"] for s in servers],
                           "-f", "json")
    for row in rows:
        assert row == listed[row["ID"]]


def test_multi_show_long_and_columns(cloud, servers):
    rows = cloud.openstack("server", "multi", "show", "--long", servers[0]["name"],
                           "-f", "json")
    assert rows[0]["Power State"] == 1 and rows[0]["Task State"] is None
    assert rows[0]["Availability Zone"] == "nova" and rows[0]["Properties"] == {}
    done = cloud.openstack("server", "multi", "show", servers[0]["id"], servers[1]["id"],
                           "-c", "Name", "-f", "value")
    assert done.stdout.split() == [servers[0]["name"], servers[1]["name"]]
    table = cloud.openstack("server", "multi", "show", "-n", servers[0]["id"]).stdout
    assert servers[0]["image"]["id"] in table and "| ID " in table


def test_multi_show_honours_the_compute_microversion(cloud, sess, servers):
    # Before 2.47 a server names its flavor by id only. (2.1, OSC's default, means
    # "negotiate": the plugin cannot tell it from an explicit 2.1.)
    rows = cloud.openstack("--os-compute-api-version", "2.46", "server", "multi", "show",
                           servers[0]["id"], "-f", "json")
    compute = adapter.Adapter(sess, service_type="compute", default_microversion="2.46")
    flavor = compute.get("/servers/%s" % servers[0]["id"]).json()["server"]["flavor"]
    assert rows[0]["Flavor"] == flavor["id"] != "m1.tiny"


def test_multi_show_unknown_id_is_a_clear_404(cloud, servers):
    done = cloud.openstack("server", "multi", "show", servers[0]["id"], UNKNOWN, check=False)
    assert done.returncode == 1
    assert UNKNOWN in done.stderr and "HTTP 404" in done.stderr
    assert "itemNotFound" in done.stderr and "Traceback" not in done.stderr


def test_multi_show_unknown_name(cloud, servers):
    done = cloud.openstack("server", "multi", "show", servers[0]["id"], "no-such-server",
                           check=False)
    assert done.returncode == 1
    assert "no-such-server" in done.stderr and "Traceback" not in done.stderr


def test_multi_show_ignore_missing(cloud, servers):
    done = cloud.openstack("server", "multi", "show", "--ignore-missing", servers[1]["id"],
                           UNKNOWN, "no-such-server", "-f", "value", "-c", "ID")
    assert done.stdout.split() == [servers[1]["id"]]
    assert UNKNOWN in done.stderr and "no-such-server" in done.stderr


def test_multi_show_too_many(cloud):
    done = cloud.openstack("server", "multi", "show", *[str(uuid.uuid4()) for _ in range(11)],
                           check=False)
    assert done.returncode == 1 and "HTTP 400" in done.stderr


def test_backup_instance(cloud, sess, servers):
    name = "osc-bk-" + uuid.uuid4().hex[:6]
    out = cloud.openstack("server", "backup", "instance", servers[0]["name"], "--name", name,
                          "--description", "nightly", "-f", "json")
    assert out["name"] == name and out["server_id"] == servers[0]["id"]
    h.wait_for_image(sess, out["id"])
    image = cloud.openstack("image", "show", out["id"], "-f", "json")
    assert image["name"] == name and image["status"] == "active"
    assert image["properties"]["description"] == "nightly"
    assert image["properties"]["instance_uuid"] == servers[0]["id"]
    cloud.openstack("image", "delete", out["id"])


def test_backup_instance_wait(cloud, servers):
    done = cloud.openstack("server", "backup", "instance", servers[1]["id"], "--name",
                           "osc-bk-wait", "--wait", "-f", "value", "-c", "id")
    image_id = done.stdout.strip()
    assert cloud.openstack("image", "show", image_id, "-f", "json")["status"] == "active"
    cloud.openstack("image", "delete", image_id)


def test_backup_instance_unknown_server(cloud):
    done = cloud.openstack("server", "backup", "instance", UNKNOWN, "--name", "bk",
                           check=False)
    assert done.returncode == 1 and UNKNOWN in done.stderr
    assert "Traceback" not in done.stderr


def test_admin_sees_other_projects_servers(cloud, servers):
    rows = cloud.openstack("server", "multi", "show", "--all-projects", "--long",
                           servers[0]["id"], "-f", "json", cloud="novalite-admin")
    assert rows[0]["ID"] == servers[0]["id"]
    assert rows[0]["Host"]  # admin-only field, present for the admin
