"""Servers taking ports from the network service across processes: `novalite network-api`
and a `novalite network-agent` per compute host beside the pipeline, on RabbitMQ and a SQL
server. A host binds each port, its agent reports it up over the broker, and the network
API tells the compute API (network-vif-plugged), for which the build waits."""

import collections
import concurrent.futures

import httpx
import pytest

from tests.distributed.test_distributed import delete_and_wait_gone, wait_active

pytestmark = pytest.mark.distributed
CLUSTER_OPTIONS = {"network_service": True}


@pytest.fixture(scope="module")
def network(cloud):
    client = httpx.Client(base_url=cloud.network_url + "/v2.0",
                          headers={"X-Auth-Token": "demo:demo"}, timeout=30)
    cloud.wait_until(lambda: _answers(client), 60, "the network API to answer")
    made = client.post("/networks", json={"network": {"name": "dist"}})
    assert made.status_code == 201, made.text
    network = made.json()["network"]
    subnet = client.post("/subnets", json={"subnet": {
        "network_id": network["id"], "cidr": "10.40.0.0/24", "ip_version": 4}})
    assert subnet.status_code == 201, subnet.text
    yield client, network
    client.close()


def _answers(client) -> bool:
    try:
        return client.get("/networks").status_code == 200
    except httpx.TransportError:
        return False


def test_servers_on_both_hosts_get_bound_active_ports(cloud, network):
    client, net = network
    demo, admin = cloud.client("demo", "demo"), cloud.client("admin", "admin")
    with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
        ids = [body["server"]["id"] for body in pool.map(
            lambda i: demo.boot("net-%d" % i, networks=[{"uuid": net["id"]}]), range(10))]
    servers = wait_active(cloud, admin, ids)
    assert set(collections.Counter(
        s["OS-EXT-SRV-ATTR:host"] for s in servers.values())) == {"compute1", "compute2"}
    ports = {p["device_id"]: p for p in client.get(
        "/ports", params={"network_id": net["id"]},
        headers={"X-Auth-Token": "admin:admin"}).json()["ports"]}
    for server_id, server in servers.items():
        port = ports[server_id]
        assert port["status"] == "ACTIVE"  # the host's agent said so over the broker
        assert port["binding:host_id"] == server["OS-EXT-SRV-ATTR:host"]
        assert server["addresses"]["dist"][0]["addr"] == port["fixed_ips"][0]["ip_address"]
    delete_and_wait_gone(cloud, demo, ids)
    left = client.get("/ports", params={"network_id": net["id"]}).json()["ports"]
    assert [p for p in left if p["device_owner"].startswith("compute:")] == []
