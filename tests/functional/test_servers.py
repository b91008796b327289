"""Servers over real HTTP: create, show, detail, update, actions, delete, multi-create and
instance actions, checked against the shapes of Nova's api-ref."""

import re
import uuid

import pytest

from tests.functional.helpers import assert_fault

_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_NAIVE_MICRO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$")


def _body(client, name, **extra):
    return {"server": {"name": name, "imageRef": client.image_id(), "flavorRef": "1",
                       "networks": "auto", **extra}}


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


@pytest.fixture(scope="module", autouse=True)
def roomy_quota(admin):
    """This module boots more servers than the default quotas (10 instances) allow."""
    resp = admin.put("/os-quota-sets/demo",
                     json={"quota_set": {"instances": -1, "cores": -1, "ram": -1}})
    assert resp.status_code == 200, resp.text


@pytest.fixture(scope="module")
def active_server(demo):
    """One ACTIVE server of the demo project, shared by the read-only tests."""
    server_id = demo.boot("reader", metadata={"role": "web"})["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    return server_id


def test_create_answers_202_with_location_links_and_password(demo):
    resp = demo.post("/servers", json=_body(demo, "created"))
    assert resp.status_code == 202, resp.text
    server = resp.json()["server"]
    uuid.UUID(server["id"])
    assert resp.headers["location"].endswith("/v2.1/servers/" + server["id"])
    assert [link["rel"] for link in server["links"]] == ["self", "bookmark"]
    assert server["links"][0]["href"].endswith("/v2.1/servers/" + server["id"])
    assert "/v2.1/" not in server["links"][1]["href"]
    assert server["OS-DCF:diskConfig"] == "MANUAL"
    assert server["security_groups"] == [{"name": "default"}]
    assert server["adminPass"]
    assert set(server) == {"id", "links", "OS-DCF:diskConfig", "security_groups", "adminPass"}


def test_create_accepts_what_osc_and_ansible_send(demo):
    """OSC adds a local image BDM next to imageRef; Ansible sends empty tags and groups."""
    image = demo.image_id()
    body = _body(demo, "osc", min_count=1, max_count=1, security_groups=[], tags=[],
                 block_device_mapping_v2=[{"uuid": image, "boot_index": 0,
                                           "source_type": "image",
                                           "destination_type": "local",
                                           "delete_on_termination": True}])
    resp = demo.post("/servers", json=body)
    assert resp.status_code == 202, resp.text
    demo.wait_for(resp.json()["server"]["id"], "ACTIVE")


def test_create_at_2_1_without_networks(make_client):
    # Before 2.37 no networks means the project's one network; a project with none gets
    # one made, as with "auto" (Nova would boot it without a network).
    old = make_client("old-client", "old-client", version=None)
    body = {"server": {"name": "old", "imageRef": old.image_id(), "flavorRef": "1"}}
    resp = old.post("/servers", json=body)
    assert resp.status_code == 202, resp.text
    assert resp.headers["x-openstack-nova-api-version"] == "2.1"
    server = old.wait_for(resp.json()["server"]["id"], "ACTIVE")
    assert server["addresses"]["auto_allocated_network"]


def test_show_has_every_field_of_2_96(demo, active_server):
    server = demo.server(active_server)
    assert server["id"] == active_server
    assert server["name"] == "reader"
    assert server["status"] == "ACTIVE"
    assert server["tenant_id"] == "demo" and server["user_id"] == "demo"
    assert server["metadata"] == {"role": "web"}
    assert re.fullmatch(r"[0-9a-f]{56}", server["hostId"])
    assert server["image"]["id"] == demo.image_id()
    assert server["image"]["links"][0]["rel"] == "bookmark"
    assert server["flavor"] == {"vcpus": 1, "ram": 512, "disk": 1, "ephemeral": 0,
                                "swap": 0, "original_name": "m1.tiny", "extra_specs": {}}
    assert _TIME.match(server["created"]) and _TIME.match(server["updated"])
    assert _NAIVE_MICRO.match(server["OS-SRV-USG:launched_at"])
    assert server["OS-SRV-USG:terminated_at"] is None
    assert server["accessIPv4"] == "" and server["accessIPv6"] == ""
    assert server["config_drive"] == ""
    assert server["key_name"] is None
    assert server["progress"] == 0
    assert "fault" not in server
    assert server["os-extended-volumes:volumes_attached"] == []
    assert server["locked"] is False and server["locked_reason"] is None
    assert server["description"] is None
    assert server["tags"] == []
    assert server["trusted_image_certificates"] is None
    assert server["server_groups"] == []  # show only
    assert server["pinned_availability_zone"] is None
    assert server["OS-EXT-SRV-ATTR:hostname"] == "reader"  # everyone's from 2.90
    assert "OS-EXT-SRV-ATTR:host" not in server
    assert "host_status" not in server  # admin only


def test_show_at_2_1_has_the_old_flavor_and_no_later_fields(make_client, active_server):
    old = make_client("demo", "demo", version="2.1")
    server = old.server(active_server)
    assert server["flavor"]["id"] == "1"
    assert server["flavor"]["links"][0]["href"].endswith("/flavors/1")
    for later in ("locked", "description", "tags", "server_groups", "locked_reason",
                  "pinned_availability_zone", "OS-EXT-SRV-ATTR:hostname"):
        assert later not in server


def test_detail_matches_show_but_without_server_groups(demo, active_server):
    resp = demo.get("/servers/detail")
    assert resp.status_code == 200
    (listed,) = [s for s in resp.json()["servers"] if s["id"] == active_server]
    shown = demo.server(active_server)
    assert "server_groups" not in listed
    shown.pop("server_groups")
    assert listed == shown


def test_list_has_only_id_name_and_links(demo, active_server):
    servers = demo.get("/servers").json()["servers"]
    (listed,) = [s for s in servers if s["id"] == active_server]
    assert set(listed) == {"id", "name", "links"}
    assert listed["name"] == "reader"


def test_show_unknown_server_is_404(demo):
    missing = str(uuid.uuid4())
    assert_fault(demo.get("/servers/" + missing), 404, "itemNotFound", missing)


def test_update_name_and_description(demo):
    server_id = demo.boot("before")["server"]["id"]
    resp = demo.put("/servers/" + server_id,
                    json={"server": {"name": "after", "description": "the new one"}})
    assert resp.status_code == 200, resp.text
    server = resp.json()["server"]
    assert server["name"] == "after"
    assert server["description"] == "the new one"
    assert server["status"] in ("BUILD", "ACTIVE")  # the full server comes back
    assert demo.server(server_id)["name"] == "after"
    resp = demo.put("/servers/" + server_id, json={"server": {"description": None}})
    assert resp.status_code == 200
    assert resp.json()["server"]["description"] is None


def test_update_response_before_2_75_leaves_out_the_extension_attributes(make_client, demo):
    # Nova's PUT response is the brief view until 2.75, the full one from then on; clients
    # (Tempest's schemas) reject the extension keys in the brief one.
    server_id = demo.boot("brief")["server"]["id"]
    extension_keys = {"OS-EXT-AZ:availability_zone", "OS-EXT-STS:vm_state", "key_name",
                      "OS-SRV-USG:launched_at", "config_drive",
                      "os-extended-volumes:volumes_attached"}
    old = make_client("demo", "demo", version="2.74")
    resp = old.put("/servers/" + server_id, json={"server": {"name": "brief-1"}})
    assert resp.status_code == 200, resp.text
    assert not extension_keys & set(resp.json()["server"])
    assert extension_keys <= set(old.get("/servers/" + server_id).json()["server"])
    resp = demo.put("/servers/" + server_id, json={"server": {"name": "brief-2"}})
    assert extension_keys <= set(resp.json()["server"])


def test_access_addresses_are_stored_in_canonical_form(demo):
    server_id = demo.boot("access", accessIPv4="1.1.1.1",
                          accessIPv6="0000:0000:0000:0000:0000:babe:220.12.22.2")["server"]["id"]
    server = demo.server(server_id)
    assert server["accessIPv6"] == "::babe:dc0c:1602" and server["accessIPv4"] == "1.1.1.1"
    resp = demo.put("/servers/" + server_id, json={"server": {"accessIPv6": "2001:0db8::0001"}})
    assert resp.json()["server"]["accessIPv6"] == "2001:db8::1"


def test_fqdn_hostname_from_2_94(make_client, demo):
    fqdn = "x" * 52 + "-guest-test.domaintest.com"  # Tempest's: longer than 63
    old = make_client("demo", "demo", version="2.93")
    assert_fault(old.post("/servers", json=_body(old, "fqdn-old", hostname=fqdn)), 400,
                 "badRequest", "hostname")
    server_id = demo.boot("fqdn", hostname=fqdn)["server"]["id"]
    assert demo.server(server_id)["OS-EXT-SRV-ATTR:hostname"] == fqdn


def test_description_needs_2_19(make_client, demo):
    server_id = demo.boot("described", description="at create")["server"]["id"]
    assert demo.server(server_id)["description"] == "at create"
    old = make_client("demo", "demo", version="2.18")
    resp = old.put("/servers/" + server_id, json={"server": {"description": "x"}})
    assert_fault(resp, 400, "badRequest", "description")
    body = _body(old, "old-described", description="x")
    assert_fault(old.post("/servers", json=body), 400, "badRequest", "description")


def test_reboot_soft_and_hard(demo):
    server_id = demo.boot("rebooted")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    for kind in ("SOFT", "hard"):
        resp = _action(demo, server_id, {"reboot": {"type": kind}})
        assert resp.status_code == 202, resp.text
        assert resp.content == b""
        server = demo.wait_for(server_id, "ACTIVE")
        assert server["OS-EXT-STS:task_state"] is None
    actions = demo.get("/servers/%s/os-instance-actions" % server_id).json()
    assert [a["action"] for a in actions["instanceActions"]] == ["reboot", "reboot", "create"]


def test_stop_and_start_with_null_bodies(demo):
    server_id = demo.boot("switched")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    resp = _action(demo, server_id, {"os-stop": None})
    assert resp.status_code == 202, resp.text
    assert resp.content == b""
    server = demo.wait_for(server_id, "SHUTOFF")
    assert server["OS-EXT-STS:vm_state"] == "stopped"
    assert server["OS-EXT-STS:power_state"] == 4
    assert "progress" not in server  # only in ACTIVE, BUILD, REBUILD, RESIZE ...
    assert_fault(_action(demo, server_id, {"os-stop": None}), 409, "conflictingRequest",
                 "stop", server_id, "stopped")
    assert_fault(_action(demo, server_id, {"reboot": {"type": "SOFT"}}), 409,
                 "conflictingRequest", "reboot")
    resp = _action(demo, server_id, {"os-start": None})
    assert resp.status_code == 202, resp.text
    server = demo.wait_for(server_id, "ACTIVE")
    assert server["OS-EXT-STS:power_state"] == 1


def test_start_an_active_server_is_409(demo, active_server):
    resp = _action(demo, active_server, {"os-start": None})
    assert_fault(resp, 409, "conflictingRequest", "start", active_server, "vm_state active")


def test_hard_reboot_starts_a_stopped_server(demo):
    server_id = demo.boot("hard")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(demo, server_id, {"os-stop": None}).status_code == 202
    demo.wait_for(server_id, "SHUTOFF")
    assert _action(demo, server_id, {"reboot": {"type": "HARD"}}).status_code == 202
    assert demo.wait_for(server_id, "ACTIVE")["OS-EXT-STS:power_state"] == 1


def test_delete_then_404_then_listed_as_deleted(demo, admin):
    server_id = demo.boot("gone")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    resp = demo.delete("/servers/" + server_id)
    assert resp.status_code == 204
    assert resp.content == b""
    demo.wait_gone(server_id)
    assert_fault(demo.get("/servers/" + server_id), 404, "itemNotFound", server_id)
    assert_fault(demo.delete("/servers/" + server_id), 404, "itemNotFound", server_id)
    assert_fault(_action(demo, server_id, {"os-stop": None}), 404, "itemNotFound")
    assert server_id not in {s["id"] for s in demo.get("/servers").json()["servers"]}
    changed = demo.get("/servers/detail", params={"changes-since": "2000-01-01T00:00:00Z"})
    (server,) = [s for s in changed.json()["servers"] if s["id"] == server_id]
    assert server["status"] == "DELETED"
    assert _NAIVE_MICRO.match(server["OS-SRV-USG:terminated_at"])
    deleted = admin.get("/servers/detail", params={"all_tenants": "1", "deleted": "True"})
    assert server_id in {s["id"] for s in deleted.json()["servers"]}
    by_status = admin.get("/servers", params={"all_tenants": "1", "status": "DELETED"})
    assert server_id in {s["id"] for s in by_status.json()["servers"]}
    # ... which only an administrator may ask for.
    assert_fault(demo.get("/servers", params={"status": "DELETED"}), 403, "forbidden",
                 "deleted")
    # The history outlives the server.
    actions = demo.get("/servers/%s/os-instance-actions" % server_id)
    assert [a["action"] for a in actions.json()["instanceActions"]] == ["delete", "create"]


def test_delete_while_building(demo):
    server_id = demo.boot("hasty")["server"]["id"]
    assert demo.delete("/servers/" + server_id).status_code == 204
    demo.wait_gone(server_id)


def test_multi_create_shares_a_reservation(demo, admin):
    body = _body(demo, "multi", min_count=2, max_count=3)
    resp = demo.post("/servers", json=body)
    assert resp.status_code == 202, resp.text
    first = resp.json()["server"]["id"]
    server = admin.server(first)
    reservation_id = server["OS-EXT-SRV-ATTR:reservation_id"]
    assert re.fullmatch(r"r-[0-9a-f]{8}", reservation_id)
    listed = demo.get("/servers/detail", params={"reservation_id": reservation_id})
    servers = sorted(listed.json()["servers"], key=lambda s: s["name"])
    assert [s["name"] for s in servers] == ["multi-1", "multi-2", "multi-3"]
    for launch_index, s in enumerate(servers):
        demo.wait_for(s["id"], "ACTIVE")
        shown = admin.server(s["id"])
        assert shown["OS-EXT-SRV-ATTR:reservation_id"] == reservation_id
        assert shown["OS-EXT-SRV-ATTR:launch_index"] == launch_index
        assert shown["OS-EXT-SRV-ATTR:hostname"] == "multi-%d" % (launch_index + 1)
    assert first in {s["id"] for s in servers}


def test_return_reservation_id(demo):
    body = _body(demo, "resv", max_count=2, return_reservation_id=True)
    resp = demo.post("/servers", json=body)
    assert resp.status_code == 202, resp.text
    assert list(resp.json()) == ["reservation_id"]
    reservation_id = resp.json()["reservation_id"]
    assert re.fullmatch(r"r-[0-9a-f]{8}", reservation_id)
    listed = demo.get("/servers", params={"reservation_id": reservation_id}).json()
    assert sorted(s["name"] for s in listed["servers"]) == ["resv-1", "resv-2"]


def test_instance_actions_list_and_show(demo, admin):
    resp = demo.post("/servers", json=_body(demo, "audited"))
    server_id = resp.json()["server"]["id"]
    create_request = resp.headers["x-openstack-request-id"]
    demo.wait_for(server_id, "ACTIVE")
    stop = _action(demo, server_id, {"os-stop": None})
    demo.wait_for(server_id, "SHUTOFF")

    actions = demo.get("/servers/%s/os-instance-actions" % server_id).json()["instanceActions"]
    assert [a["action"] for a in actions] == ["stop", "create"]
    assert actions[0]["request_id"] == stop.headers["x-openstack-request-id"]
    assert actions[1]["request_id"] == create_request
    for action in actions:
        assert action["instance_uuid"] == server_id
        assert action["user_id"] == "demo" and action["project_id"] == "demo"
        assert _TIME.match(action["start_time"]) and _TIME.match(action["updated_at"])
        assert action["message"] is None

    path = "/servers/%s/os-instance-actions/%s" % (server_id, create_request)
    shown = demo.get(path).json()["instanceAction"]
    assert shown["action"] == "create"
    (event,) = shown["events"]
    assert event["event"] == "compute_build_and_run_instance"
    assert event["result"] == "Success"
    assert "traceback" not in event and "host" not in event  # details are for admins
    (event,) = admin.get(path).json()["instanceAction"]["events"]
    assert event["host"] in ("compute1", "compute2")
    assert event["traceback"] is None

    missing = "/servers/%s/os-instance-actions/req-%s" % (server_id, uuid.uuid4())
    assert_fault(demo.get(missing), 404, "itemNotFound")
    assert_fault(demo.get("/servers/%s/os-instance-actions" % uuid.uuid4()), 404,
                 "itemNotFound")
