"""The network service's server actions on the built-in network ([network] backend =
builtin): Nova's answers for a cloud with one address per server, the implicit "default"
group and no floating IPs, never "no such action"; the four removed in 2.44 are 404s
after it."""

import pytest

from tests.functional.helpers import assert_fault

CLOUD_OPTIONS = {"network.backend": "builtin"}


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


@pytest.fixture(scope="module")
def server(demo):
    server_id = demo.boot("networked")["server"]["id"]
    return demo.wait_for(server_id, "ACTIVE")


def _address(server):
    return next(a["addr"] for addrs in server["addresses"].values() for a in addrs)


def test_security_groups(demo, other, server):
    sid = server["id"]
    assert_fault(_action(demo, sid, {"addSecurityGroup": {"name": "default"}}), 400,
                 "badRequest", "Security group default is already associated")
    assert_fault(_action(demo, sid, {"addSecurityGroup": {"name": "web"}}), 404,
                 "itemNotFound", "Security group web not found for project demo.")
    assert_fault(_action(demo, sid, {"removeSecurityGroup": {"name": "web"}}), 404,
                 "itemNotFound")
    assert_fault(_action(demo, sid, {"removeSecurityGroup": {"name": "default"}}), 409,
                 "conflictingRequest")
    assert_fault(_action(demo, sid, {"addSecurityGroup": {}}), 400, "badRequest")
    assert_fault(_action(other, sid, {"addSecurityGroup": {"name": "web"}}), 404,
                 "itemNotFound", sid)


def test_fixed_and_floating_ips_until_2_44(make_client, server):
    sid = server["id"]
    old = make_client("demo", "demo", "2.43")
    address = _address(server)
    assert_fault(_action(old, sid, {"addFixedIp": {"networkId": "no-such-net"}}), 400,
                 "badRequest", "Network no-such-net could not be found.")
    assert_fault(_action(old, sid, {"removeFixedIp": {"address": "10.9.9.9"}}), 400,
                 "badRequest", "does not have fixed IP '10.9.9.9'")
    assert_fault(_action(old, sid, {"removeFixedIp": {"address": address}}), 400,
                 "badRequest", "cannot be removed")
    assert_fault(_action(old, sid, {"addFloatingIp": {"address": "172.24.4.10"}}), 404,
                 "itemNotFound", "floating IP not found")
    assert_fault(_action(old, sid, {"addFloatingIp": {"address": "172.24.4.10",
                                                      "fixed_address": "10.9.9.9"}}), 400,
                 "badRequest", "Specified fixed address not assigned to instance")
    assert_fault(_action(old, sid, {"removeFloatingIp": {"address": "172.24.4.10"}}), 404,
                 "itemNotFound", "floating IP not found")
    assert_fault(_action(old, sid, {"addFloatingIp": {"address": "not-an-ip"}}), 400,
                 "badRequest")
    new = make_client("demo", "demo", "2.44")
    for body in ({"addFixedIp": {"networkId": "x"}}, {"removeFixedIp": {"address": address}},
                 {"addFloatingIp": {"address": "172.24.4.10"}},
                 {"removeFloatingIp": {"address": "172.24.4.10"}}):
        assert_fault(_action(new, sid, body), 404, "itemNotFound")
