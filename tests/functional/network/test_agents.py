"""The hosts' network agents (Neutron's agents extension): each compute host's agent
reports itself, administrators see and switch them, and a host without a live agent gets
no port bound (binding_failed), so Nova builds elsewhere."""

from tests.functional.network.conftest import neutron_error


def _agents(client, **params) -> list[dict]:
    resp = client.get("/agents", params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()["agents"]


def test_each_compute_host_has_a_live_agent_only_admins_see(network_client):
    admin, member = network_client("admin", "admin"), network_client("demo", "demo")
    agents = _agents(admin)
    assert sorted(a["host"] for a in agents) == ["compute1", "compute2"]
    for agent in agents:
        assert agent["alive"] is True and agent["admin_state_up"] is True
        assert agent["agent_type"] == "Novalite noop agent"
        assert agent["binary"] == "novalite-network-agent"
    assert [a["host"] for a in _agents(admin, host="compute2")] == ["compute2"]
    assert _agents(member) == []
    neutron_error(member.get("/agents/" + agents[0]["id"]), 404, "AgentNotFound")
    neutron_error(member.put("/agents/" + agents[0]["id"], json={
        "agent": {"admin_state_up": False}}), 404, "AgentNotFound")
    assert "agent" in {e["alias"] for e in admin.get("/extensions").json()["extensions"]}


def test_a_host_whose_agent_is_off_gets_no_port_and_no_server(network_client, make_client):
    admin = network_client("admin", "admin")
    [agent] = _agents(admin, host="compute2")
    resp = admin.put("/agents/" + agent["id"], json={"agent": {
        "admin_state_up": False, "description": "maintenance"}})
    assert resp.status_code == 200, resp.text
    assert resp.json()["agent"]["description"] == "maintenance"
    try:
        net = network_client("user", "agents")
        network = net.make("network", name="n")
        net.make("subnet", network_id=network["id"], cidr="10.61.0.0/24", ip_version=4)
        port = admin.make("port", network_id=network["id"], project_id="agents",
                          **{"binding:host_id": "compute2"})
        assert port["binding:vif_type"] == "binding_failed"
        assert port["status"] == "DOWN"
        compute, nova_admin = make_client("user", "agents"), make_client("admin", "admin")
        ids = [compute.boot("a%d" % i, networks=[{"uuid": network["id"]}])["server"]["id"]
               for i in range(4)]
        for server_id in ids:
            compute.wait_for(server_id, "ACTIVE")
            assert nova_admin.server(server_id)["OS-EXT-SRV-ATTR:host"] == "compute1"
    finally:
        admin.put("/agents/" + agent["id"], json={"agent": {"admin_state_up": True}})
