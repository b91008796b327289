"""GET /limits over real HTTP: what OSC sends (no microversion header, ?reserved=False),
the keys per microversion, usage, another project's limits (admins only)."""

import uuid

import httpx
import pytest

from tests.functional.helpers import assert_fault, check_common_headers

V2_1 = {"maxImageMeta": 128, "maxPersonality": 5, "maxPersonalitySize": 10240,
        "maxSecurityGroupRules": -1, "maxSecurityGroups": -1, "maxServerMeta": 128,
        "maxTotalCores": 20, "maxTotalFloatingIps": -1, "maxTotalInstances": 10,
        "maxTotalKeypairs": 100, "maxTotalRAMSize": 51200, "maxServerGroups": 10,
        "maxServerGroupMembers": 10, "totalCoresUsed": 0, "totalInstancesUsed": 0,
        "totalRAMUsed": 0, "totalSecurityGroupsUsed": 0, "totalFloatingIpsUsed": 0,
        "totalServerGroupsUsed": 0}
NETWORK = {"maxSecurityGroupRules", "maxSecurityGroups", "maxTotalFloatingIps",
           "totalSecurityGroupsUsed", "totalFloatingIpsUsed"}
V2_36 = {k: v for k, v in V2_1.items() if k not in NETWORK}
V2_39 = {k: v for k, v in V2_36.items() if k != "maxImageMeta"}
V2_57 = {k: v for k, v in V2_39.items() if k not in ("maxPersonality", "maxPersonalitySize")}


def _project():
    return "l-" + uuid.uuid4().hex[:10]


def _absolute(resp) -> dict:
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert set(body) == {"limits"} and body["limits"]["rate"] == []
    return body["limits"]["absolute"]


def test_what_openstackclient_sends(cloud):
    """`openstack limits show --absolute`: no microversion header at all."""
    with httpx.Client(base_url=cloud.compute_url, timeout=30,
                      headers={"X-Auth-Token": "olga:%s" % _project()},
                      event_hooks={"response": [check_common_headers]}) as osc:
        resp = osc.get("/limits", params={"reserved": "False"})
    assert resp.headers["openstack-api-version"] == "compute 2.1"
    assert _absolute(resp) == V2_1


@pytest.mark.parametrize("version, expected", [
    ("2.1", V2_1), ("2.35", V2_1), ("2.36", V2_36), ("2.38", V2_36), ("2.39", V2_39),
    ("2.56", V2_39), ("2.57", V2_57), ("2.96", V2_57),
])
def test_keys_per_microversion(make_client, version, expected):
    assert _absolute(make_client("olga", _project(), version).get("/limits")) == expected


def test_usage_and_project_limits(admin, make_client):
    project = _project()
    member = make_client("dora", project)
    assert admin.put("/os-quota-sets/" + project, json={"quota_set": {
        "instances": 5, "cores": -1, "key_pairs": 7}}).status_code == 200
    server_id = member.boot("counted", flavor="2")["server"]["id"]  # m1.small: 1, 2048
    member.wait_for(server_id, "ACTIVE")
    absolute = _absolute(member.get("/limits"))
    assert (absolute["maxTotalInstances"], absolute["maxTotalCores"],
            absolute["maxTotalKeypairs"]) == (5, -1, 7)
    assert (absolute["totalInstancesUsed"], absolute["totalCoresUsed"],
            absolute["totalRAMUsed"]) == (1, 1, 2048)
    # Another project's limits: for admins, with ?tenant_id=.
    theirs = _absolute(admin.get("/limits", params={"tenant_id": project}))
    assert theirs == absolute
    assert _absolute(admin.get("/limits"))["maxTotalInstances"] == 10  # the admin's own
    # Readers see their project's limits too.
    reader = make_client("rita", project + ":reader")
    assert _absolute(reader.get("/limits")) == absolute


def test_other_projects_limits_are_for_admins(make_client):
    project = _project()
    member = make_client("dora", project)
    for tenant in ("someone-else", project):  # Nova checks the rule even for one's own
        assert_fault(member.get("/limits", params={"tenant_id": tenant}), 403, "forbidden",
                     "os_compute_api:limits:other_project")


def test_unknown_query_parameters_from_2_75(make_client):
    project = _project()
    assert_fault(make_client("dora", project, "2.75").get("/limits",
                                                          params={"reserved": "False"}),
                 400, "badRequest", "Additional properties are not allowed ('reserved' was "
                 "unexpected)")
    assert make_client("dora", project, "2.74").get(
        "/limits", params={"reserved": "False"}).status_code == 200


def test_wrong_method(make_client):
    resp = make_client("dora", _project()).post("/limits", json={})
    assert_fault(resp, 405, "badMethod")
    assert resp.headers["allow"] == "GET"


def test_nul_characters_are_client_errors(admin):
    assert_fault(admin.get("/limits", params={"tenant_id": "a\x00"}), 400, "badRequest",
                 "NUL")
