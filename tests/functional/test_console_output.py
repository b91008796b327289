"""POST /servers/{id}/action {"os-getConsoleOutput": {"length": N}} on the fake driver, whose
console always reads a fixed short boot log: the whole pipeline (API, compute API, RPC call to
the host, driver), the tail of N lines, and the errors Nova gives."""

import pytest

from novalite.virt.fake import FAKE_CONSOLE_OUTPUT as FAKE
from tests.functional.helpers import assert_fault


def _console(client, server_id, **args):
    return client.post("/servers/%s/action" % server_id, json={"os-getConsoleOutput": args})


@pytest.fixture(scope="module")
def server_id(demo):
    server_id = demo.boot("console")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    return server_id


@pytest.mark.parametrize("args, expected", [
    ({}, FAKE),
    ({"length": None}, FAKE),
    ({"length": -1}, FAKE),
    ({"length": "-1"}, FAKE),
    ({"length": 50}, FAKE),
    ({"length": 2}, "ANOTHER\nLAST LINE"),
    ({"length": "1"}, "LAST LINE"),
    ({"length": 0}, ""),
])
def test_console_output_tails_lines(demo, server_id, args, expected):
    resp = _console(demo, server_id, **args)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"output": expected}


def test_admin_reads_any_console_and_other_projects_do_not(admin, other, server_id):
    assert _console(admin, server_id, length=1).json() == {"output": "LAST LINE"}
    assert_fault(_console(other, server_id), 404, "itemNotFound", server_id)


def test_a_reader_may_not_read_the_console(make_client, server_id):
    # Nova's default: a project member or an admin (a console may show secrets).
    reader = make_client("bob", "demo:reader")  # noauth2: the reader role only
    assert_fault(_console(reader, server_id), 403, "forbidden", "os-console-output")


@pytest.mark.parametrize("args", [
    {"length": "abc"}, {"length": -2}, {"length": "-2"}, {"length": 1.5}, {"length": True},
    {"lines": 3},
])
def test_bad_length_is_bad_request(demo, server_id, args):
    assert_fault(_console(demo, server_id, **args), 400, "badRequest")


def test_bad_body_is_bad_request(demo, server_id):
    resp = demo.post("/servers/%s/action" % server_id, json={"os-getConsoleOutput": 5})
    assert_fault(resp, 400, "badRequest")


def test_unknown_server_is_not_found(demo):
    missing = "00000000-0000-4000-8000-000000000000"
    assert_fault(_console(demo, missing), 404, "itemNotFound", missing)


def test_stopped_server_still_has_its_console(demo, server_id):
    resp = demo.post("/servers/%s/action" % server_id, json={"os-stop": None})
    assert resp.status_code == 202, resp.text
    demo.wait_for(server_id, "SHUTOFF")
    assert _console(demo, server_id, length=1).json() == {"output": "LAST LINE"}
    assert demo.post("/servers/%s/action" % server_id,
                     json={"os-start": None}).status_code == 202
    demo.wait_for(server_id, "ACTIVE")


def test_server_without_a_guest_is_conflict(admin, make_client):
    # A flavor no host can hold: the build ends in ERROR, on no host, with no console.
    resp = admin.post("/flavors", json={"flavor": {
        "name": "console-huge", "ram": 10 ** 7, "vcpus": 1, "disk": 1, "id": "console-huge"}})
    assert resp.status_code == 200, resp.text
    assert admin.put("/os-quota-sets/console",
                     json={"quota_set": {"ram": -1}}).status_code == 200
    client = make_client("carol", "console")
    server_id = client.boot("homeless", flavor="console-huge")["server"]["id"]
    client.wait_for(server_id, "ERROR")
    assert_fault(_console(client, server_id), 409, "conflictingRequest",
                 "get_console_output", server_id)
