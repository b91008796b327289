"""Rescue, changePassword, shelve, resize and cold migration driven by the real clients:
the `openstack` CLI (server rescue [--image] [--password] / unrescue, set --password,
shelve [--offload], unshelve [--availability-zone] [--host] [--wait], resize [--wait] /
resize confirm|revert, migrate [--host] / migration confirm|revert), openstacksdk's compute
proxy and python-novaclient's servers manager; most refusals through the libraries.

The CLI commands act; the waits between them poll through openstacksdk: OSC's own wait
loop sleeps 5 s between polls, so it runs three times in all (unshelve --wait, resize
--wait, and shelve --offload, which waits for SHELVED before it offloads)."""

import json
import time
import uuid

import pytest
import yaml
from keystoneauth1 import loading, session
from novaclient import client as nova_client
from novaclient import exceptions as nova_exceptions
from openstack import exceptions

from tests.clients.conftest import IMAGE_NAME, sdk_connection, serve_cloud


def _boot(conn, prefix, flavor="m1.tiny"):
    server = conn.compute.create_server(
        name="%s-%s" % (prefix, uuid.uuid4().hex[:6]),
        image_id=conn.image.find_image(IMAGE_NAME).id,
        flavor_id=conn.compute.find_flavor(flavor).id, networks="auto")
    return _wait(conn, server.id, "ACTIVE")


def _wait(conn, server_id, status, timeout=30):
    """The server once it shows `status` with no task in progress (ERROR fails at once)."""
    deadline = time.monotonic() + timeout
    while True:
        server = conn.compute.get_server(server_id)
        if server.status == status and server.task_state is None:
            return server
        if server.status == "ERROR" or time.monotonic() > deadline:
            raise AssertionError("server %s is %s (task %s), not %s" % (
                server_id, server.status, server.task_state, status))
        time.sleep(0.2)


def _delete(conn, server_id):
    server = conn.compute.find_server(server_id)
    if server is not None:
        conn.compute.delete_server(server)
        conn.compute.wait_for_delete(server, interval=0.2, wait=30)


def _refused(cloud, *args, cloud_name="novalite"):
    """Run a CLI command that the cloud must refuse; its stderr (the message shown)."""
    done = cloud.openstack(*args, cloud=cloud_name, check=False)
    assert done.returncode == 1, (done.stdout, done.stderr)
    return done.stderr


def _response_bodies(debug_stderr):
    """The JSON bodies `openstack --debug` logged, in order."""
    bodies = []
    for line in debug_stderr.splitlines():
        if line.startswith("RESP BODY: {"):
            bodies.append(json.loads(line[len("RESP BODY: "):]))
    return bodies


def _has_image(conn, name):
    return conn.image.find_image(name) is not None


def _actions(conn, server_id):
    """The server's instance actions, newest first (`openstack server event list`)."""
    return [action.action for action in conn.compute.server_actions(server_id)]


def test_openstack_cli_rescue_and_change_password(cloud, conn):
    server = _boot(conn, "rescue")
    name = server.name
    try:
        cloud.openstack("server", "rescue", name)
        _wait(conn, server.id, "RESCUE")
        cloud.openstack("server", "unrescue", name)
        _wait(conn, server.id, "ACTIVE")

        # A rescue image and password asked for: OSC prints nothing, the 200 carries it.
        done = cloud.openstack("--debug", "server", "rescue", "--image", IMAGE_NAME,
                               "--password", "Rescue-pw-1", name)
        assert {"adminPass": "Rescue-pw-1"} in _response_bodies(done.stderr)
        assert _wait(conn, server.id, "RESCUE").vm_state == "rescued"
        cloud.openstack("server", "unrescue", name)
        _wait(conn, server.id, "ACTIVE")

        # changePassword: OSC's `server set --password`.
        cloud.openstack("server", "set", "--password", "N3w-admin-pw", name)
        assert _actions(conn, server.id)[:5] == ["changePassword", "unrescue", "rescue",
                                                "unrescue", "rescue"]
        conn.compute.stop_server(server.id)
        _wait(conn, server.id, "SHUTOFF")
        message = _refused(cloud, "server", "set", "--password", "N3w-admin-pw", name)
        assert ("Cannot 'changePassword' instance %s while it is in vm_state stopped"
                % server.id) in message
    finally:
        _delete(conn, server.id)


def test_openstack_cli_shelve_and_unshelve(cloud, conn, admin_conn):
    server = _boot(conn, "shelve")
    name, shelved_image = server.name, server.name + "-shelved"
    booted_on = admin_conn.compute.get_server(server.id).compute_host
    try:
        # The cloud offloads a shelved server at once ([DEFAULT] shelved_offload_time 0).
        cloud.openstack("server", "shelve", name)
        shelved = _wait(admin_conn, server.id, "SHELVED_OFFLOADED")
        assert shelved.compute_host is None and _has_image(conn, shelved_image)
        cloud.openstack("--os-compute-api-version", "2.77", "server", "unshelve",
                        "--availability-zone", "nova", "--wait", name)
        back = _wait(conn, server.id, "ACTIVE")
        assert back.availability_zone == "nova" and not _has_image(conn, shelved_image)

        # 2.91: an administrator chooses the host (by id: the name is the demo project's).
        cloud.openstack("server", "shelve", name)
        _wait(conn, server.id, "SHELVED_OFFLOADED")
        other = ({"compute1", "compute2"} - {booted_on}).pop()
        cloud.openstack("--os-compute-api-version", "2.91", "server", "unshelve",
                        "--host", other, server.id, cloud="novalite-admin")
        assert _wait(admin_conn, server.id, "ACTIVE").compute_host == other
        assert not _has_image(conn, shelved_image)
        assert _actions(conn, server.id)[:4] == ["unshelve", "shelve", "unshelve", "shelve"]
    finally:
        _delete(conn, server.id)


def test_openstack_cli_resize_confirm_and_revert(cloud, conn):
    server = _boot(conn, "resize")
    name = server.name
    try:
        done = cloud.openstack("server", "resize", "--flavor", "m1.small", "--wait", name)
        assert "Complete" in done.stdout
        assert _wait(conn, server.id, "VERIFY_RESIZE").flavor.original_name == "m1.small"
        cloud.openstack("server", "resize", "confirm", name)
        _wait(conn, server.id, "ACTIVE")
        message = _refused(cloud, "server", "resize", "--flavor", "m1.small", name)
        assert "When resizing, instances must change flavor!" in message

        cloud.openstack("server", "resize", "--flavor", "m1.medium", name)
        assert _wait(conn, server.id, "VERIFY_RESIZE").flavor.original_name == "m1.medium"
        cloud.openstack("server", "resize", "revert", name)
        _wait(conn, server.id, "ACTIVE")
        shown = cloud.openstack("server", "show", name, "-f", "json")
        assert shown["status"] == "ACTIVE"
        assert (shown["flavor"]["name"], shown["flavor"]["ram"]) == ("m1.small", 2048)
        assert _actions(conn, server.id)[:4] == ["revertResize", "resize", "confirmResize",
                                                "resize"]
    finally:
        _delete(conn, server.id)


def test_openstack_cli_cold_migrate(cloud, conn, admin_conn):
    computes = [s.host for s in admin_conn.compute.services(binary="nova-compute")]
    assert sorted(computes) == ["compute1", "compute2"]  # the fixture's two fake hosts
    server = _boot(conn, "migrate")
    try:
        message = _refused(cloud, "server", "migrate", server.name)
        assert ("Policy doesn't allow os_compute_api:os-migrate-server:migrate to be "
                "performed") in message
        source = admin_conn.compute.get_server(server.id).compute_host
        other = ({"compute1", "compute2"} - {source}).pop()

        cloud.openstack("server", "migrate", server.id, cloud="novalite-admin")
        moved = _wait(admin_conn, server.id, "VERIFY_RESIZE")
        assert moved.compute_host == other
        assert moved.flavor.original_name == "m1.tiny"  # a migration keeps the flavor
        cloud.openstack("server", "migration", "confirm", server.id, cloud="novalite-admin")
        assert _wait(admin_conn, server.id, "ACTIVE").compute_host == other

        # 2.56: the destination chosen.
        cloud.openstack("--os-compute-api-version", "2.56", "server", "migrate", "--host",
                        source, server.id, cloud="novalite-admin")
        assert _wait(admin_conn, server.id, "VERIFY_RESIZE").compute_host == source
        cloud.openstack("server", "migration", "revert", server.id, cloud="novalite-admin")
        assert _wait(admin_conn, server.id, "ACTIVE").compute_host == other
        assert _actions(conn, server.id)[:4] == ["revertResize", "migrate", "confirmResize",
                                                "migrate"]
    finally:
        _delete(conn, server.id)


def test_openstacksdk_compute_proxy_lifecycle(conn, admin_conn):
    server = _boot(conn, "sdk-life")

    def wait(status):
        return conn.compute.wait_for_server(server, status=status, interval=0.2, wait=30)

    try:
        conn.compute.rescue_server(server, admin_pass="sdk-rescue-pw")
        assert wait("RESCUE").vm_state == "rescued"
        conn.compute.unrescue_server(server)
        wait("ACTIVE")
        conn.compute.change_server_password(server, "sdk-new-pw")
        wait("ACTIVE")

        conn.compute.shelve_server(server)
        wait("SHELVED_OFFLOADED")
        assert _has_image(conn, server.name + "-shelved")
        conn.compute.unshelve_server(server)
        wait("ACTIVE")
        assert not _has_image(conn, server.name + "-shelved")

        conn.compute.resize_server(server, conn.compute.find_flavor("m1.small"))
        assert wait("VERIFY_RESIZE").flavor.original_name == "m1.small"
        conn.compute.confirm_server_resize(server)
        assert wait("ACTIVE").flavor.original_name == "m1.small"
        conn.compute.resize_server(server, conn.compute.find_flavor("m1.medium"))
        wait("VERIFY_RESIZE")
        conn.compute.revert_server_resize(server)
        reverted = wait("ACTIVE")
        assert reverted.flavor.original_name == "m1.small" and reverted.flavor.vcpus == 1

        source = admin_conn.compute.get_server(server.id).compute_host
        other = ({"compute1", "compute2"} - {source}).pop()
        with pytest.raises(exceptions.BadRequestException,
                           match="Compute host no-such-host could not be found."):
            admin_conn.compute.migrate_server(server.id, host="no-such-host")
        with pytest.raises(exceptions.BadRequestException,
                           match="Cannot migrate to the host where the server exists."):
            admin_conn.compute.migrate_server(server.id, host=source)
        admin_conn.compute.migrate_server(server.id)
        migrated = admin_conn.compute.wait_for_server(
            admin_conn.compute.get_server(server.id), status="VERIFY_RESIZE", interval=0.2,
            wait=30)
        assert migrated.compute_host == other
        admin_conn.compute.confirm_server_resize(server.id)
        wait("ACTIVE")
        assert {"rescue", "unrescue", "changePassword", "shelve", "unshelve", "resize",
                "confirmResize", "revertResize", "migrate"} <= set(_actions(conn, server.id))
    finally:
        _delete(conn, server.id)


def _novaclient(cloud, name, version):
    with open(cloud.clouds_yaml) as f:
        auth = yaml.safe_load(f)["clouds"][name]["auth"]
    plugin = loading.get_plugin_loader("password").load_from_options(**auth)
    return nova_client.Client(version, session=session.Session(auth=plugin))


def test_novaclient_servers_lifecycle(cloud, conn):
    nova = _novaclient(cloud, "novalite", "2.91")
    admin = _novaclient(cloud, "novalite-admin", "2.91")
    server = _boot(conn, "nova-life")

    def refused(error, call, *args, **kwargs):
        with pytest.raises(error) as raised:
            call(server.id, *args, **kwargs)
        return str(raised.value)

    try:
        resp, body = nova.servers.rescue(server.id)  # {"rescue": null}
        assert resp.status_code == 200 and len(body["adminPass"]) >= 8
        _wait(conn, server.id, "RESCUE")
        assert ("Cannot 'rescue' instance %s while it is in vm_state rescued (HTTP 409)"
                % server.id) in refused(nova_exceptions.Conflict, nova.servers.rescue)
        nova.servers.unrescue(server.id)
        _wait(conn, server.id, "ACTIVE")
        assert ("Cannot 'unrescue' instance %s while it is in vm_state active (HTTP 409)"
                % server.id) in refused(nova_exceptions.Conflict, nova.servers.unrescue)
        image = conn.image.find_image(IMAGE_NAME)
        resp, body = nova.servers.rescue(server.id, password="nova-rescue-pw", image=image)
        assert body == {"adminPass": "nova-rescue-pw"}
        _wait(conn, server.id, "RESCUE")
        nova.servers.unrescue(server.id)
        _wait(conn, server.id, "ACTIVE")
        assert nova.servers.change_password(server.id, "nova-new-pw").request_ids

        assert ("Cannot 'unshelve' instance %s while it is in vm_state active" % server.id
                in refused(nova_exceptions.Conflict, nova.servers.unshelve))
        nova.servers.shelve(server.id)
        _wait(conn, server.id, "SHELVED_OFFLOADED")
        assert "The requested availability zone is not available (HTTP 400)" in refused(
            nova_exceptions.BadRequest, nova.servers.unshelve, availability_zone="no-zone")
        assert ("Policy doesn't allow os_compute_api:os-shelve:unshelve_to_host to be "
                "performed. (HTTP 403)") in refused(
            nova_exceptions.Forbidden, nova.servers.unshelve, host="compute1")
        assert "Compute host no-such-host could not be found. (HTTP 400)" in refused(
            nova_exceptions.BadRequest, admin.servers.unshelve, host="no-such-host")
        nova.servers.unshelve(server.id)
        _wait(conn, server.id, "ACTIVE")

        nova.servers.resize(server.id, nova.flavors.find(name="m1.small"))
        _wait(conn, server.id, "VERIFY_RESIZE")
        nova.servers.confirm_resize(server.id)
        _wait(conn, server.id, "ACTIVE")
        assert ("Cannot 'confirmResize' instance %s while it is in vm_state active"
                % server.id) in refused(nova_exceptions.Conflict, nova.servers.confirm_resize)
        nova.servers.resize(server.id, nova.flavors.find(name="m1.medium"))
        _wait(conn, server.id, "VERIFY_RESIZE")
        nova.servers.revert_resize(server.id)
        _wait(conn, server.id, "ACTIVE")
        assert nova.servers.get(server.id).flavor["original_name"] == "m1.small"

        assert "Policy doesn't allow os_compute_api:os-migrate-server:migrate to be " \
            "performed. (HTTP 403)" in refused(nova_exceptions.Forbidden, nova.servers.migrate)
        source = getattr(admin.servers.get(server.id), "OS-EXT-SRV-ATTR:host")
        admin.servers.migrate(server.id)
        _wait(conn, server.id, "VERIFY_RESIZE")
        assert getattr(admin.servers.get(server.id), "OS-EXT-SRV-ATTR:host") != source
        admin.servers.confirm_resize(server.id)
        _wait(conn, server.id, "ACTIVE")
    finally:
        _delete(conn, server.id)


@pytest.fixture(scope="module")
def held_cloud(tmp_path_factory):
    """A cloud of one compute host that keeps shelved servers on it (shelved_offload_time
    -1): shelve stops at SHELVED, and a cold migration has nowhere to go."""
    state = tmp_path_factory.mktemp("novalite-held")
    with serve_cloud(state, "[DEFAULT]\nshelved_offload_time = -1\n",
                     ("--computes", "1")) as held:
        yield held


@pytest.fixture(scope="module")
def held_conn(held_cloud):
    connection = sdk_connection(held_cloud)
    yield connection
    connection.close()


def test_openstack_cli_shelve_kept_on_host_then_offload(held_cloud, held_conn):
    cloud, conn = held_cloud, held_conn
    server = _boot(conn, "held")
    name, shelved_image = server.name, server.name + "-shelved"
    try:
        cloud.openstack("server", "shelve", name)
        _wait(conn, server.id, "SHELVED")
        assert _has_image(conn, shelved_image)
        message = _refused(cloud, "--os-compute-api-version", "2.77", "server", "unshelve",
                           "--availability-zone", "nova", name)
        assert ('Specifying an availability zone or a host when unshelving server "%s" '
                'with status "shelved" is not supported' % server.id) in message
        cloud.openstack("server", "unshelve", name)  # powered on where it is
        _wait(conn, server.id, "ACTIVE")
        assert not _has_image(conn, shelved_image)

        # --offload (an administrator's): OSC shelves, waits for SHELVED (its --wait loop,
        # polling every 5 s), then offloads.
        cloud.openstack("server", "shelve", "--offload", server.id, cloud="novalite-admin")
        _wait(conn, server.id, "SHELVED_OFFLOADED")
        assert _has_image(conn, shelved_image)
        assert _actions(conn, server.id)[:2] == ["shelveOffload", "shelve"]
        conn.compute.unshelve_server(server.id)
        _wait(conn, server.id, "ACTIVE")
        assert not _has_image(conn, shelved_image)
    finally:
        _delete(conn, server.id)


def test_no_valid_host_is_reported_in_the_instance_action(held_cloud, held_conn):
    cloud, conn = held_cloud, held_conn
    admin = sdk_connection(cloud, "novalite-admin")
    server = _boot(conn, "nohost")
    try:
        huge = admin.compute.create_flavor(name="held.hugedisk", ram=512, vcpus=1, disk=5000)
        for act, kind in [(lambda: admin.compute.migrate_server(server.id), "cold migrate"),
                          (lambda: conn.compute.resize_server(server.id, huge.id), "resize")]:
            act()  # Nova: 202, whatever the scheduler then finds
            back = _wait(conn, server.id, "ACTIVE")
            assert back.flavor.original_name == "m1.tiny"
            request_id = cloud.openstack("server", "event", "list", server.name, "-f",
                                         "json")[0]["Request ID"]
            action = cloud.openstack("server", "event", "show", server.name, request_id,
                                     "-f", "json")
            assert action["message"] == "Error"
            [event] = [e for e in action["events"] if e["event"] == "conductor_migrate_server"]
            assert event["result"] == "Error"  # (its 2.84 `details` are not shown yet)
            del kind
    finally:
        _delete(conn, server.id)
        admin.close()
