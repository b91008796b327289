"""/os-quota-sets over real HTTP (shapes per microversion, defaults, detail, update and
delete, who may do what), and quota enforcement on server create: Nova's 403 messages,
multi-create, metadata, and 20 parallel boots against a quota of 10."""

import concurrent.futures
import threading
import uuid

import pytest

from tests.functional.helpers import assert_fault

CURRENT = {"cores": 20, "instances": 10, "ram": 51200, "key_pairs": 100,
           "metadata_items": 128, "server_groups": 10, "server_group_members": 10}
INJECTED = {"injected_files": 5, "injected_file_content_bytes": 10240,
            "injected_file_path_bytes": 255}
NETWORK = {"fixed_ips": -1, "floating_ips": -1, "security_groups": -1,
           "security_group_rules": -1}


def _project():
    return "q-" + uuid.uuid4().hex[:10]


@pytest.fixture
def project():
    return _project()


def _put(client, project, **values):
    return client.put("/os-quota-sets/" + project, json={"quota_set": values})


def _boot(client, name="vm", flavor="1", **extra):
    return client.post("/servers", json={"server": {
        "name": name, "imageRef": client.image_id(), "flavorRef": flavor, "networks": "none",
        **extra}})


def _server_count(client) -> int:
    return len(client.get("/servers").json()["servers"])


# -- shapes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("version, expected", [
    ("2.1", {**CURRENT, **INJECTED, **NETWORK}),
    ("2.35", {**CURRENT, **INJECTED, **NETWORK}),
    ("2.36", {**CURRENT, **INJECTED}),
    ("2.56", {**CURRENT, **INJECTED}),  # what openstacksdk asks for
    ("2.57", CURRENT),
    ("2.96", CURRENT),
])
def test_show_and_defaults_per_microversion(make_client, project, version, expected):
    client = make_client("admin", "admin", version)
    for path in ("/os-quota-sets/" + project, "/os-quota-sets/%s/defaults" % project):
        resp = client.get(path)
        assert resp.status_code == 200, resp.text
        assert resp.json() == {"quota_set": {"id": project, **expected}}


def test_detail_counts_usage(make_client):
    project = _project()
    member = make_client("dora", project)
    server_id = _boot(member).json()["server"]["id"]
    member.wait_for(server_id, "ACTIVE")
    detail = member.get("/os-quota-sets/%s/detail" % project).json()["quota_set"]
    assert detail.pop("id") == project
    assert set(detail) == set(CURRENT)
    assert detail["instances"] == {"limit": 10, "in_use": 1, "reserved": 0}
    assert detail["cores"] == {"limit": 20, "in_use": 1, "reserved": 0}
    assert detail["ram"] == {"limit": 51200, "in_use": 512, "reserved": 0}
    assert detail["metadata_items"] == {"limit": 128, "in_use": 0, "reserved": 0}
    # One user's share: ?user_id= counts only that user's servers.
    other = make_client("eve", project)
    assert _boot(other).status_code == 202
    mine = member.get("/os-quota-sets/%s/detail" % project,
                      params={"user_id": "eve"}).json()["quota_set"]
    assert mine["instances"]["in_use"] == 1
    everyone = member.get("/os-quota-sets/%s/detail" % project).json()["quota_set"]
    assert everyone["instances"]["in_use"] == 2
    old = make_client("dora", project, "2.1").get("/os-quota-sets/%s/detail" % project)
    assert old.json()["quota_set"]["floating_ips"] == {"limit": -1, "in_use": 0,
                                                       "reserved": 0}


# -- update and delete ----------------------------------------------------------------------

def test_update_then_delete_goes_back_to_defaults(admin, make_client, project):
    resp = _put(admin, project, instances=3, cores="8", ram=-1, key_pairs=0)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"quota_set": {**CURRENT, "instances": 3, "cores": 8, "ram": -1,
                                         "key_pairs": 0}}  # no "id" in an update
    member = make_client("dora", project)
    shown = member.get("/os-quota-sets/" + project).json()["quota_set"]
    assert (shown["instances"], shown["cores"], shown["ram"]) == (3, 8, -1)
    # defaults stay the defaults
    assert member.get("/os-quota-sets/%s/defaults" % project).json()["quota_set"][
        "instances"] == 10
    assert _put(admin, project, instances=4).json()["quota_set"]["cores"] == 8  # partial
    resp = admin.delete("/os-quota-sets/" + project)
    assert resp.status_code == 202 and resp.content == b""
    assert member.get("/os-quota-sets/" + project).json() == {
        "quota_set": {"id": project, **CURRENT}}


def test_older_versions_accept_older_keys(make_client, project):
    old = make_client("admin", "admin", "2.1")
    resp = _put(old, project, floating_ips=5, injected_files=1)
    assert resp.status_code == 200, resp.text
    shown = old.get("/os-quota-sets/" + project).json()["quota_set"]
    assert (shown["floating_ips"], shown["injected_files"]) == (5, 1)
    assert_fault(_put(old, project, networks=3), 400, "badRequest",
                 "The networks quota has been removed")
    v256 = make_client("admin", "admin", "2.56")
    assert_fault(_put(v256, project, floating_ips=5), 400, "badRequest", "floating_ips")
    assert _put(v256, project, injected_files=2).status_code == 200
    v257 = make_client("admin", "admin", "2.57")
    assert_fault(_put(v257, project, injected_files=2), 400, "badRequest", "injected_files")


def test_limits_below_usage_need_force(admin, make_client, project):
    member = make_client("dora", project)
    for _ in range(2):
        assert _boot(member).status_code == 202
    assert_fault(_put(admin, project, instances=1), 400, "badRequest",
                 "Quota limit 1 for instances must be greater than or equal to already used "
                 "and reserved 2.")
    assert_fault(_put(admin, project, instances=5, cores=1), 400, "badRequest", "cores")
    assert member.get("/os-quota-sets/" + project).json()["quota_set"]["instances"] == 10
    assert _put(admin, project, instances=2).status_code == 200  # equal to usage is fine
    resp = _put(admin, project, instances=1, force="True")
    assert resp.status_code == 200 and resp.json()["quota_set"]["instances"] == 1
    assert_fault(_boot(member), 403, "forbidden",
                 "Quota exceeded for instances: Requested 1, but already used 2 of 1 "
                 "instances")


@pytest.mark.parametrize("quota_set, fragments", [
    ({"instances": -2}, ("quota_set/instances", "-2")),
    ({"instances": "-5"}, ("quota_set/instances", "-5")),
    ({"instances": "abc"}, ("quota_set/instances", "abc")),
    ({"instances": ""}, ("quota_set/instances",)),
    ({"instances": 1.5}, ("quota_set/instances",)),
    ({"instances": True}, ("quota_set/instances",)),
    ({"instances": None}, ("quota_set/instances",)),
    ({"instances": 2 ** 31}, ("quota_set/instances",)),
    ({"instances": "99999999999"}, ("quota_set/instances", "99999999999")),
    ({"bogus": 1}, ("Additional properties are not allowed",)),
    ({"id": "x"}, ("Additional properties are not allowed",)),
    ({"force": "maybe"}, ("quota_set/force",)),
])
def test_bad_updates(admin, project, quota_set, fragments):
    assert_fault(admin.put("/os-quota-sets/" + project, json={"quota_set": quota_set}), 400,
                 "badRequest", *fragments)
    assert admin.get("/os-quota-sets/" + project).json() == {
        "quota_set": {"id": project, **CURRENT}}


@pytest.mark.parametrize("body", [{}, {"quota_set": 5}, {"quota_set": [1]},
                                  {"quota_set": {}, "extra": 1}, [1]])
def test_bad_update_bodies(admin, project, body):
    assert_fault(admin.put("/os-quota-sets/" + project, json=body), 400, "badRequest")


def test_per_user_quotas_are_refused(admin, project):
    resp = admin.put("/os-quota-sets/" + project, params={"user_id": "dora"},
                     json={"quota_set": {"instances": 1}})
    assert_fault(resp, 400, "badRequest", "Per-user quotas are not supported")
    assert_fault(admin.delete("/os-quota-sets/" + project, params={"user_id": "dora"}), 400,
                 "badRequest", "Per-user quotas")
    assert admin.get("/os-quota-sets/" + project).json()["quota_set"]["instances"] == 10


def test_unknown_query_parameters_from_2_75(make_client, project):
    new = make_client("admin", "admin", "2.75")
    assert_fault(new.get("/os-quota-sets/" + project, params={"foo": "1"}), 400,
                 "badRequest", "Additional properties are not allowed ('foo' was unexpected)")
    assert_fault(new.get("/os-quota-sets/%s/detail" % project, params={"a": 1, "b": 2}), 400,
                 "badRequest", "('a', 'b' were unexpected)")
    old = make_client("admin", "admin", "2.74")
    assert old.get("/os-quota-sets/" + project, params={"foo": "1"}).status_code == 200


def test_wrong_method(admin, project):
    resp = admin.post("/os-quota-sets/" + project, json={})
    assert_fault(resp, 405, "badMethod")
    assert_fault(admin.put("/os-quota-sets/%s/defaults" % project, json={}), 405, "badMethod")


# -- who may do what ------------------------------------------------------------------------

def test_readers_members_and_admins(make_client, project):
    member = make_client("dora", project)
    reader = make_client("rita", project + ":reader")
    outsider = make_client("olga", "elsewhere")
    for client in (member, reader):
        assert client.get("/os-quota-sets/" + project).status_code == 200
        assert client.get("/os-quota-sets/%s/detail" % project).status_code == 200
        assert_fault(_put(client, project, instances=50), 403, "forbidden",
                     "os_compute_api:os-quota-sets:update")
        assert_fault(client.delete("/os-quota-sets/" + project), 403, "forbidden",
                     "os_compute_api:os-quota-sets:delete")
    for path in ("/os-quota-sets/" + project, "/os-quota-sets/%s/detail" % project):
        assert_fault(outsider.get(path), 403, "forbidden")
    # Anyone may read the defaults, whatever the project in the URL.
    assert outsider.get("/os-quota-sets/%s/defaults" % project).status_code == 200
    assert member.get("/os-quota-sets/" + project).json()["quota_set"]["instances"] == 10
    # A reader may look but not boot (servers:create is for members).
    assert_fault(_boot(reader), 403, "forbidden", "os_compute_api:servers:create")


# -- enforcement on server create -----------------------------------------------------------

def test_over_quota_is_403_with_novas_message(admin, make_client, project):
    member = make_client("dora", project)
    assert _put(admin, project, instances=3).status_code == 200
    assert _boot(member, min_count=2, max_count=2).status_code == 202
    assert_fault(_boot(member, min_count=2, max_count=2), 403, "forbidden",
                 "Quota exceeded for instances: Requested 2, but already used 2 of 3 "
                 "instances")
    assert_fault(_boot(member, min_count=2, max_count=5), 403, "forbidden",
                 "Quota exceeded for instances: Requested 2-5, but already used 2 of 3 "
                 "instances")
    assert _server_count(member) == 2  # a refused multi-create creates nothing


def test_multi_create_is_cut_to_what_fits(admin, make_client, project):
    member = make_client("dora", project)
    assert _put(admin, project, instances=4).status_code == 200
    resp = _boot(member, name="many", min_count=1, max_count=10, return_reservation_id=True)
    assert resp.status_code == 202, resp.text
    made = member.get("/servers", params={
        "reservation_id": resp.json()["reservation_id"]}).json()["servers"]
    assert sorted(s["name"] for s in made) == ["many-1", "many-2", "many-3", "many-4"]
    assert _server_count(member) == 4


def test_cores_and_ram_are_counted_from_flavors(admin, make_client, project):
    member = make_client("dora", project)
    assert _put(admin, project, cores=3, ram=-1).status_code == 200
    assert _boot(member, flavor="3").status_code == 202  # m1.medium: 2 vCPUs
    assert_fault(_boot(member, flavor="3"), 403, "forbidden",
                 "Quota exceeded for cores: Requested 2, but already used 2 of 3 cores")
    assert _boot(member, flavor="1").status_code == 202  # 1 vCPU still fits
    assert _put(admin, project, cores=-1, ram=5000).status_code == 200
    assert_fault(_boot(member, flavor="4"), 403, "forbidden",  # m1.large: 8192 MiB
                 "Quota exceeded for ram: Requested 8192, but already used 4608 of 5000 ram")


def test_deleting_frees_quota(admin, make_client, project):
    member = make_client("dora", project)
    assert _put(admin, project, instances=1).status_code == 200
    server_id = _boot(member).json()["server"]["id"]
    assert _boot(member).status_code == 403
    assert member.delete("/servers/" + server_id).status_code == 204
    member.wait_gone(server_id)
    assert _boot(member).status_code == 202


def test_metadata_items_quota(admin, make_client, project):
    member = make_client("dora", project)
    assert _put(admin, project, metadata_items=2).status_code == 200
    assert _boot(member, metadata={"a": "1", "b": "2"}).status_code == 202
    assert_fault(_boot(member, metadata={"a": "1", "b": "2", "c": "3"}), 403, "forbidden",
                 "Maximum number of metadata items exceeds 2")
    assert _server_count(member) == 1


def test_twenty_parallel_boots_against_a_quota_of_ten(make_client):
    """The default quota (10 instances) holds when 20 creates race: each counts and inserts
    under the project's lock, so exactly 10 get through and 10 get Nova's 403."""
    member = make_client("racer", _project())
    image = member.image_id()
    start = threading.Barrier(20)

    def boot(i):
        start.wait()
        return member.post("/servers", json={"server": {
            "name": "race-%d" % i, "imageRef": image, "flavorRef": "1", "networks": "none"}})

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(boot, range(20)))
    codes = sorted(r.status_code for r in answers)
    assert codes == [202] * 10 + [403] * 10, [r.text for r in answers]
    for refused in (r for r in answers if r.status_code == 403):
        assert_fault(refused, 403, "forbidden", "Quota exceeded for instances: Requested 1, "
                     "but already used 10 of 10 instances")
    assert _server_count(member) == 10


def test_nul_characters_and_overlong_project_ids_are_client_errors(admin, make_client):
    """PostgreSQL refuses NUL in any text: these must be 4xx, never a database error."""
    for path in ("/os-quota-sets/a%00b", "/os-quota-sets/a%00b/detail",
                 "/os-quota-sets/a%00b/defaults"):
        assert_fault(admin.get(path), 400, "badRequest", "NUL")
    assert_fault(_put(admin, "a%00b", instances=1), 400, "badRequest", "NUL")
    assert_fault(admin.delete("/os-quota-sets/a%00b"), 400, "badRequest", "NUL")
    assert_fault(admin.get("/os-quota-sets/p/detail", params={"user_id": "\x00"}), 400,
                 "badRequest", "NUL")
    long_id = "p" * 256
    assert_fault(_put(admin, long_id, instances=1), 400, "badRequest",
                 "is not a valid project")
    assert_fault(admin.get("/os-quota-sets/" + long_id), 400, "badRequest")
    assert admin.get("/os-quota-sets/" + "p" * 255).status_code == 200
