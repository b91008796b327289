"""Waiting for network-vif-plugged, as Nova does ([DEFAULT] vif_plugging_timeout and
vif_plugging_is_fatal), and builds that fail leaving no port or address behind."""

import contextlib
import uuid

from tests.functional.helpers import client, running_cloud
from tests.functional.network.conftest import NetworkClient


@contextlib.contextmanager
def _cloud(tmp_path, **options):
    with running_cloud(tmp_path, **options) as aio:
        project = "p-" + uuid.uuid4().hex[:8]
        net = NetworkClient(aio.network_url, "user:" + project)
        network = net.make("network", name="net")
        net.make("subnet", network_id=network["id"], cidr="10.5.0.0/24", ip_version=4)
        compute = client(aio, "user", project)
        try:
            yield compute, net, network
        finally:
            compute.http.close()
            net.http.close()


def _boot(compute, network) -> str:
    return compute.boot(networks=[{"uuid": network["id"]}])["server"]["id"]


def test_no_plugged_event_fails_the_build_when_fatal(tmp_path):
    # The network service tells Nova nothing: the event never comes.
    with _cloud(tmp_path, **{"network_api.notify_nova_on_port_status_changes": False,
                             "vif_plugging_timeout": 1}) as (compute, net, network):
        server = compute.wait_for(_boot(compute, network), "ERROR")
        assert "Failed to allocate the network(s), not rescheduling" in \
            server["fault"]["message"]
        assert net.get("/ports", params={"network_id": network["id"],
                                         "device_owner": "compute:nova"}
                       ).json()["ports"] == []


def test_no_plugged_event_is_ignored_when_not_fatal(tmp_path):
    with _cloud(tmp_path, **{"network_api.notify_nova_on_port_status_changes": False,
                             "vif_plugging_timeout": 1, "vif_plugging_is_fatal": False}
                ) as (compute, _, network):
        server = compute.wait_for(_boot(compute, network), "ACTIVE")
        assert server["addresses"]["net"][0]["addr"].startswith("10.5.0.")


def test_fifty_failed_builds_leave_no_port_or_address(tmp_path):
    with _cloud(tmp_path, **{"fake.fail_spawn_hosts": ["compute1", "compute2"]}
                ) as (compute, net, network):
        for _ in range(5):  # in waves of ten, the project's instance quota
            ids = [_boot(compute, network) for _ in range(10)]
            for server_id in ids:
                assert compute.wait_for(server_id, "ERROR", timeout=60)["status"] == "ERROR"
            ports = net.get("/ports", params={"network_id": network["id"]}).json()["ports"]
            assert [p for p in ports if p["device_owner"].startswith("compute:")] == []
            for server_id in ids:
                compute.delete("/servers/" + server_id)
            for server_id in ids:
                compute.wait_gone(server_id)
        # Every address went back: a new port takes the subnet's first one.
        port = net.make("port", network_id=network["id"])
        assert port["fixed_ips"][0]["ip_address"] == "10.5.0.2"


def test_a_port_that_cannot_be_made_fails_the_build_without_a_reschedule(tmp_path):
    with _cloud(tmp_path) as (compute, net, _):
        tiny = net.make("network", name="tiny")
        net.make("subnet", network_id=tiny["id"], cidr="10.6.0.0/30", ip_version=4)
        net.make("port", network_id=tiny["id"])  # the one address it has
        server = compute.wait_for(_boot(compute, tiny), "ERROR")
        assert "Failed to allocate the network(s), not rescheduling" in \
            server["fault"]["message"]
        actions = compute.get("/servers/%s/os-instance-actions" % server["id"]).json()
        request_id = actions["instanceActions"][0]["request_id"]
        events = compute.get("/servers/%s/os-instance-actions/%s" % (
            server["id"], request_id), headers={"X-Auth-Token": "admin:admin"}
        ).json()["instanceAction"]["events"]
        assert [e["event"] for e in events].count("compute_build_and_run_instance") == 1
