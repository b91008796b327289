"""POST /os-server-external-events as Nova has it: a service API (admin or the service
role) whose answer gives each event a code (200 delivered, 404 no such server, 422 on no
host, 400 a needed tag missing), 207 overall unless all were delivered; the event names a
microversion allows; and the events reaching the server's compute host: a waiter there is
woken, a deleted port's VIF leaves the server's addresses, network-changed saves what
the network API now says."""

import contextlib
import time
import uuid

import pytest

from novalite import policy
from novalite.context import RequestContext
from novalite.db import instances as db_instances
from tests.functional.helpers import assert_fault

PATH = "/os-server-external-events"
# The built-in network: these tests post the events themselves, so no network service
# sends its own meanwhile, and a server's network_info is what the test writes.
CLOUD_OPTIONS = {"network.backend": "builtin"}


def _event(server_id, name="network-changed", **extra):
    return {"name": name, "server_uuid": server_id, **extra}


def _post(client, *events):
    return client.post(PATH, json={"events": list(events)})


@pytest.fixture(scope="module")
def server_id(demo):
    server_id = demo.boot("evented")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    return server_id


def _manager_of(cloud, admin, server_id):
    host = admin.server(server_id)["OS-EXT-SRV-ATTR:host"]
    (manager,) = [s.manager for s in cloud.services
                  if getattr(s.manager, "host", None) == host and hasattr(s.manager, "driver")]
    return manager


def test_a_delivered_event_is_answered_200_with_its_code(admin, server_id):
    sent = _event(server_id, tag="port-1", status="completed")
    resp = _post(admin, sent)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"events": [{**sent, "code": 200, "status": "completed"}]}
    # Without status or tag: the answer has no tag and says completed.
    resp = _post(admin, _event(server_id, "network-vif-plugged"))
    assert resp.status_code == 200, resp.text
    assert resp.json()["events"] == [{"name": "network-vif-plugged",
                                      "server_uuid": server_id, "code": 200,
                                      "status": "completed"}]


def test_an_unknown_server_fails_its_event_alone_with_207(admin, server_id):
    unknown = str(uuid.uuid4())
    resp = _post(admin, _event(unknown, tag="a"), _event(server_id, tag="b"))
    assert resp.status_code == 207, resp.text
    assert [(e["server_uuid"], e["code"], e["status"]) for e in resp.json()["events"]] == [
        (unknown, 404, "failed"), (server_id, 200, "completed")]


def test_no_event_delivered_is_still_207_not_404(admin):
    # Nova's fix of bug 1855752: the per-event codes say why, so the whole is never 404.
    unknown = str(uuid.uuid4())
    resp = _post(admin, _event(unknown))
    assert resp.status_code == 207, resp.text
    assert resp.json()["events"] == [{**_event(unknown), "code": 404, "status": "failed"}]


def test_a_deleted_server_is_unknown(admin, demo):
    server_id = demo.boot("gone")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert demo.delete("/servers/" + server_id).status_code == 204
    demo.wait_gone(server_id)
    assert _post(admin, _event(server_id)).json()["events"][0]["code"] == 404


def test_a_server_on_no_host_fails_its_event_with_422(admin, demo):
    server_id = demo.boot("offloaded")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    resp = demo.post("/servers/%s/action" % server_id, json={"shelve": None})
    assert resp.status_code == 202, resp.text
    demo.wait_for(server_id, "SHELVED_OFFLOADED")
    assert admin.server(server_id)["OS-EXT-SRV-ATTR:host"] is None
    resp = _post(admin, _event(server_id, "network-vif-plugged", tag="p"))
    assert resp.status_code == 207, resp.text
    assert resp.json()["events"] == [{**_event(server_id, "network-vif-plugged", tag="p"),
                                      "code": 422, "status": "failed"}]


def test_an_event_needing_a_tag_without_one_fails_with_400(admin, server_id):
    resp = _post(admin, _event(server_id, "power-update"),
                 _event(server_id, "power-update", tag="POWER_ON"))
    assert resp.status_code == 207, resp.text
    assert [(e["code"], e["status"]) for e in resp.json()["events"]] == [
        (400, "failed"), (200, "completed")]


@pytest.mark.parametrize("name, first", [("volume-extended", "2.51"),
                                         ("power-update", "2.76"),
                                         ("accelerator-request-bound", "2.82"),
                                         ("volume-reimaged", "2.93")])
def test_each_event_name_from_its_microversion(make_client, server_id, name, first):
    major, minor = first.split(".")
    before = make_client("admin", "admin", "%s.%d" % (major, int(minor) - 1))
    at = make_client("admin", "admin", first)
    tag = "POWER_OFF" if name == "power-update" else "x"
    assert_fault(_post(before, _event(server_id, name, tag=tag)), 400, "badRequest",
                 "events/0/name")
    resp = _post(at, _event(server_id, name, tag=tag))
    assert resp.status_code == 200, resp.text
    assert resp.json()["events"][0]["code"] == 200


@pytest.mark.parametrize("body, fragment", [
    ({}, "events"),
    ({"events": []}, "events"),
    ({"events": {}}, "events"),
    ({"events": [{"name": "network-changed"}]}, "server_uuid"),
    ({"events": [{"server_uuid": "0d8e2a1c-8f43-4e0a-9a43-6d0c0a1b7e55"}]}, "name"),
    ({"events": [{"name": "no-such-event",
                  "server_uuid": "0d8e2a1c-8f43-4e0a-9a43-6d0c0a1b7e55"}]}, "name"),
    ({"events": [{"name": "network-changed", "server_uuid": "not-a-uuid"}]},
     "server_uuid"),
    ({"events": [{"name": "network-changed", "status": "done",
                  "server_uuid": "0d8e2a1c-8f43-4e0a-9a43-6d0c0a1b7e55"}]}, "status"),
    ({"events": [{"name": "network-changed", "tag": "t" * 256,
                  "server_uuid": "0d8e2a1c-8f43-4e0a-9a43-6d0c0a1b7e55"}]}, "tag"),
    ({"events": [{"name": "network-changed", "tag": 5,
                  "server_uuid": "0d8e2a1c-8f43-4e0a-9a43-6d0c0a1b7e55"}]}, "tag"),
    ({"events": [{"name": "network-changed", "host": "compute1",
                  "server_uuid": "0d8e2a1c-8f43-4e0a-9a43-6d0c0a1b7e55"}]}, "host"),
    ({"events": [{"name": "network-changed",
                  "server_uuid": "0d8e2a1c-8f43-4e0a-9a43-6d0c0a1b7e55"}], "x": 1}, "x"),
    (["network-changed"], ""),
])
def test_bad_bodies_are_400(admin, body, fragment):
    assert_fault(admin.post(PATH, json=body), 400, "badRequest", fragment)


def test_a_body_that_is_not_json_is_400(admin):
    resp = admin.post(PATH, content=b"{not json", headers={"Content-Type": "application/json"})
    assert_fault(resp, 400, "badRequest")


@pytest.mark.parametrize("user, project", [("demo", "demo"), ("demo", "demo:reader"),
                                           ("alice", "other")])
def test_project_users_may_not_send_events(make_client, server_id, user, project):
    client = make_client(user, project)
    assert_fault(_post(client, _event(server_id)), 403, "forbidden",
                 "os_compute_api:os-server-external-events:create")


def test_the_service_role_may_send_events(cloud):
    rule = "os_compute_api:os-server-external-events:create"
    service = RequestContext(user_id="neutron", project_id="service", roles=["service"])
    member = RequestContext(user_id="demo", project_id="demo", roles=["member", "reader"])
    assert policy.check(service, rule, {})
    assert not policy.check(member, rule, {})


def test_a_vif_plugged_event_wakes_the_waiter_on_the_servers_host(cloud, admin, server_id):
    manager = _manager_of(cloud, admin, server_id)
    instance = db_instances.get(cloud.database, server_id)
    failures = []
    started = time.monotonic()
    # The with waits (up to 10 s) on exit for the event the API delivers.
    with manager.instance_events.wait_for_instance_event(
            instance, [("network-vif-plugged", "port-a")], deadline=10,
            error_callback=lambda name, inst: failures.append(name)):
        resp = _post(admin, _event(server_id, "network-vif-plugged", tag="port-a"))
        assert resp.status_code == 200, resp.text
    assert failures == []
    assert time.monotonic() - started < 10
    # A 'failed' event is delivered as such: the waiter's callback hears of it.
    with manager.instance_events.wait_for_instance_event(
            instance, [("network-vif-plugged", "port-b")], deadline=10,
            error_callback=lambda name, inst: failures.append(name)):
        resp = _post(admin, _event(server_id, "network-vif-plugged", tag="port-b",
                                   status="failed"))
        assert resp.json()["events"][0]["status"] == "completed"  # delivered
    assert failures == ["network-vif-plugged-port-b"]


def test_one_request_reaches_the_host_of_each_server(cloud, demo, admin):
    by_host = {}
    for index in range(6):  # the scheduler spreads them; until two hosts have one
        server_id = demo.boot("spread-%d" % index)["server"]["id"]
        demo.wait_for(server_id, "ACTIVE")
        by_host.setdefault(admin.server(server_id)["OS-EXT-SRV-ATTR:host"], server_id)
        if len(by_host) == 2:
            break
    assert len(by_host) == 2, by_host
    with contextlib.ExitStack() as waits:
        for server_id in by_host.values():
            manager = _manager_of(cloud, admin, server_id)
            waits.enter_context(manager.instance_events.wait_for_instance_event(
                db_instances.get(cloud.database, server_id),
                [("network-vif-plugged", "port-" + server_id)], deadline=10))
        resp = _post(admin, *[_event(s, "network-vif-plugged", tag="port-" + s)
                              for s in by_host.values()])
        assert resp.status_code == 200, resp.text
    # Leaving the with: both waits got their event (else InstanceEventTimeout).


def test_a_vif_deleted_event_removes_that_vif_from_the_addresses(cloud, demo, admin):
    server_id = demo.boot("two-ports")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    instance = db_instances.get(cloud.database, server_id)
    (vif,) = instance.network_info
    first = {**vif, "id": vif.get("id") or str(uuid.uuid4())}
    second = {**vif, "id": str(uuid.uuid4()), "network": "extra",
              "mac": "fa:16:3e:00:00:99",
              "ips": [{"address": "192.0.2.9", "version": 4, "type": "fixed"}]}
    db_instances.update(cloud.database, server_id, {"network_info": [first, second]})
    assert set(demo.server(server_id)["addresses"]) == {vif["network"], "extra"}

    resp = _post(admin, _event(server_id, "network-vif-deleted", tag=second["id"]))
    assert resp.status_code == 200, resp.text
    deadline = time.monotonic() + 10
    while "extra" in (addresses := demo.server(server_id)["addresses"]):
        assert time.monotonic() < deadline, addresses
        time.sleep(0.05)
    # The other port's VIF stays.
    assert list(addresses) == [vif["network"]]
    assert [a["addr"] for a in addresses[vif["network"]]] == [
        ip["address"] for ip in vif["ips"]]


def test_a_network_changed_event_saves_the_network_apis_refreshed_view(cloud, demo, admin,
                                                                       monkeypatch):
    server_id = demo.boot("refreshed")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    manager = _manager_of(cloud, admin, server_id)
    (vif,) = db_instances.get(cloud.database, server_id).network_info
    moved = {**vif, "ips": [{"address": "192.0.2.77", "version": 4, "type": "fixed"}]}
    asked = []

    def refresh_network_info(instance):  # as the network service's client answers
        asked.append(instance.uuid)
        return [moved]

    monkeypatch.setattr(manager.network_api, "refresh_network_info", refresh_network_info,
                        raising=False)
    resp = _post(admin, _event(server_id, "network-changed", tag="any-port"))
    assert resp.status_code == 200, resp.text
    deadline = time.monotonic() + 10
    while (addresses := demo.server(server_id)["addresses"]) != {
            vif["network"]: [{"version": 4, "addr": "192.0.2.77", "OS-EXT-IPS:type": "fixed",
                              "OS-EXT-IPS-MAC:mac_addr": vif["mac"]}]}:
        assert time.monotonic() < deadline, addresses
        time.sleep(0.05)
    assert asked == [server_id]
