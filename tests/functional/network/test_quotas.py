"""Network quotas: Neutron's defaults, an administrator's limits for a project, what the
project uses (details), the 409 OverQuota when a create would pass a limit (nothing made),
the reset, and who may see and set them."""

from tests.functional.network.conftest import neutron_error


def test_quotas_limit_creates(network_client, net_admin):
    client = network_client("quota-user", "quota-project")
    shown = client.get("/quotas/quota-project").json()["quota"]
    assert shown == {"network": 100, "subnet": 100, "port": 500, "router": 10,
                     "floatingip": 50, "security_group": 10, "security_group_rule": 100}
    assert client.get("/quotas/quota-project/default").json()["quota"] == shown
    neutron_error(client.put("/quotas/quota-project", json={"quota": {"network": 5}}), 403,
                  "PolicyNotAuthorized")
    neutron_error(client.get("/quotas/other-project"), 403, "PolicyNotAuthorized")
    neutron_error(client.get("/quotas"), 403, "PolicyNotAuthorized")

    resp = net_admin.put("/quotas/quota-project", json={"quota": {"network": 1, "port": 2}})
    assert resp.status_code == 200, resp.text
    assert resp.json()["quota"]["network"] == 1 and resp.json()["quota"]["subnet"] == 100
    listed = net_admin.get("/quotas").json()["quotas"]
    assert [q for q in listed if q["project_id"] == "quota-project"][0]["port"] == 2
    neutron_error(net_admin.put("/quotas/quota-project", json={"quota": {"network": -2}}),
                  400, "InvalidInput")
    neutron_error(net_admin.put("/quotas/quota-project", json={"quota": {"cars": 2}}), 400,
                  "HTTPBadRequest", "cars")

    network = client.make("network", name="only-one")
    neutron_error(client.post("/networks", json={"network": {"name": "second"}}), 409,
                  "OverQuota", "Quota exceeded for resources: ['network'].")
    client.make("subnet", network_id=network["id"], ip_version=4, cidr="10.99.0.0/24")
    ports = [client.make("port", network_id=network["id"]) for _ in range(2)]
    neutron_error(client.post("/ports", json={"port": {"network_id": network["id"]}}), 409,
                  "OverQuota", "port")
    details = client.get("/quotas/quota-project/details.json").json()["quota"]
    assert details["network"] == {"limit": 1, "used": 1, "reserved": 0}
    assert details["port"] == {"limit": 2, "used": 2, "reserved": 0}
    # Back to the defaults.
    assert net_admin.delete("/quotas/quota-project").status_code == 204
    assert client.get("/quotas/quota-project").json()["quota"]["network"] == 100
    client.make("network", name="second")
    for port in ports:
        client.delete("/ports/" + port["id"])
