"""Builds that fail on every host leave no port and no address behind: each host's spawn
fails, the build is rescheduled (its port deleted, a new one made on the next host) and
ends in ERROR, and deleting the servers removes nothing that was not already gone."""

import uuid

from tests.functional.network.conftest import NetworkClient

CLOUD_OPTIONS = {"fake.fail_spawn_hosts": ["compute1", "compute2"],
                 "quota.instances": -1, "quota.cores": -1, "quota.ram": -1}
BUILDS = 50


def _ports_and_addresses(net: NetworkClient, network_id: str) -> tuple[int, int]:
    ports = net.get("/ports", params={"network_id": network_id}).json()["ports"]
    return len(ports), sum(len(p["fixed_ips"]) for p in ports)


def test_fifty_failed_builds_leave_no_port_or_address(make_client, network_client):
    name = "leak-" + uuid.uuid4().hex[:8]
    net = network_client("user", name)
    network = net.make("network", name="net")
    net.make("subnet", network_id=network["id"], cidr="10.88.0.0/24", ip_version=4)
    before = _ports_and_addresses(net, network["id"])
    compute = make_client("user", name)
    resp = compute.post("/servers", json={"server": {
        "name": "doomed", "imageRef": compute.image_id(), "flavorRef": "1",
        "networks": [{"uuid": network["id"]}], "min_count": BUILDS, "max_count": BUILDS}})
    assert resp.status_code == 202, resp.text
    servers = compute.get("/servers", params={"name": "^doomed-"}).json()["servers"]
    assert len(servers) == BUILDS
    for server in servers:
        failed = compute.wait_for(server["id"], "ERROR")
        # Both hosts tried (a port made and deleted on each), then Nova's answer.
        assert failed["fault"]["message"].startswith("Exceeded maximum number of retries"), \
            failed["fault"]
    # /24: 253 addresses; a leak of one per failed attempt (two hosts each) would show.
    assert _ports_and_addresses(net, network["id"]) == before
    for server in servers:
        assert compute.delete("/servers/" + server["id"]).status_code == 204
    for server in servers:
        compute.wait_gone(server["id"])
    assert _ports_and_addresses(net, network["id"]) == before
    # The addresses went back: a new port still gets one of the subnet's first ones.
    port = net.make("port", network_id=network["id"])
    assert port["fixed_ips"][0]["ip_address"] in {"10.88.0.%d" % n for n in range(2, 10)}
