"""/os-keypairs over real HTTP: import and generate, list, show, delete, per microversion;
key pairs belong to users (another user's are 404; admins name a user from 2.10); names,
bad input, quota; key_name on server create."""

import json
import re
import uuid

import pytest

from novalite.db import instances as db_instances
from tests.functional.helpers import assert_fault

# A real key (ssh-keygen -t ed25519) and its fingerprint per `ssh-keygen -l -E md5`.
ED25519 = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJy/hJ8JLq5y3WVSMjWavoyPnXIPDUQmNBqRb3RzQGu4 "
           "test@example")
ED25519_FINGERPRINT = "a4:90:70:00:f5:49:0b:d1:d3:9c:79:f9:69:49:15:20"
CERT = """-----BEGIN CERTIFICATE-----
MIICADCCAWmgAwIBAgIUMfwi9odykkvTUu2iLsqzipxoWN0wDQYJKoZIhvcNAQEL
BQAwETEPMA0GA1UEAwwGdGVzdGVyMCAXDTI2MTEyMjAxNDUyN1oYDzIxMjYxMDI5
MDE0NTI3WjARMQ8wDQYDVQQDDAZ0ZXN0ZXIwgZ8wDQYJKoZIhvcNAQEBBQADgY0A
MIGJAoGBAJhE/QZ4hkxb9h7j+6LQMI5jdEfYvmMTu7zVYj6fw91KdHPBhW8diYKh
iF/lhIw4I2/PVNqH3RmLxlBImYPiH4j7p1iLW0e7k1onRViUMCAjYBdRX5MxynUC
NObdteON5GGB8o4wuQ3OnwWVmkkAdhZyibdBTOw/Y9sIDZuYOG9fAgMBAAGjUzBR
MB0GA1UdDgQWBBRbMjgQp9FTQf0XJ8snMgtYs6sP2DAfBgNVHSMEGDAWgBRbMjgQ
p9FTQf0XJ8snMgtYs6sP2DAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUA
A4GBAEQvtBL2jmQevv2MLK/deBDF4L53HrxR4yiLBo7V7fD20XOwtBzp57EaYVKC
qg9YxWm4LYAPkFnIqJ3GyOFwOfHvc9zw4l80PzW2DO4Q+MUomULhmA37HVGDxSXZ
maczlmj9m/o15thPUTbER6jmPhNsRX1ti+2Mvnx6SrXIrdbz
-----END CERTIFICATE-----
"""
CERT_FINGERPRINT = "1f:a7:0a:7b:3b:32:dc:73:5a:cf:9d:4d:79:a9:da:62:32:40:38:ac"
_NAIVE_MICRO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$")


def _user():
    """A user of its own, so each test starts with no key pairs."""
    return "u" + uuid.uuid4().hex[:12]


@pytest.fixture
def fresh(make_client):
    """fresh(version) -> a client of a new user (project 'keys'), at that microversion."""
    user = _user()
    return lambda version="2.96": make_client(user, "keys", version)


def _import(client, name, key=ED25519, **extra):
    return client.post("/os-keypairs", json={"keypair": {"name": name, "public_key": key,
                                                         **extra}})


# -- create, list, show, delete at today's versions ---------------------------------------

def test_import_list_show_delete(fresh):
    client = fresh("2.10")
    user = client.http.headers["x-auth-token"].split(":")[0]
    resp = _import(client, "laptop")
    assert resp.status_code == 201, resp.text
    assert resp.json() == {"keypair": {"name": "laptop", "public_key": ED25519,
                                       "fingerprint": ED25519_FINGERPRINT, "type": "ssh",
                                       "user_id": user}}

    listed = client.get("/os-keypairs").json()
    assert listed == {"keypairs": [{"keypair": {"name": "laptop", "public_key": ED25519,
                                                "fingerprint": ED25519_FINGERPRINT,
                                                "type": "ssh"}}]}

    shown = client.get("/os-keypairs/laptop").json()["keypair"]
    assert set(shown) == {"name", "public_key", "fingerprint", "type", "user_id", "id",
                          "created_at", "updated_at", "deleted", "deleted_at"}
    assert shown["user_id"] == user and isinstance(shown["id"], int)
    assert _NAIVE_MICRO.match(shown["created_at"]), shown["created_at"]
    assert (shown["deleted"], shown["deleted_at"], shown["updated_at"]) == (False, None, None)

    resp = client.delete("/os-keypairs/laptop")
    assert resp.status_code == 204 and resp.content == b""
    assert_fault(client.get("/os-keypairs/laptop"), 404, "itemNotFound",
                 "Keypair laptop not found for user " + user)
    assert client.get("/os-keypairs").json() == {"keypairs": []}
    assert_fault(client.delete("/os-keypairs/laptop"), 404, "itemNotFound")


def test_generated_key_pair_hands_out_the_private_key_once(fresh):
    client = fresh("2.10")
    resp = client.post("/os-keypairs", json={"keypair": {"name": "made"}})
    assert resp.status_code == 201, resp.text
    made = resp.json()["keypair"]
    assert made["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert made["public_key"].startswith("ssh-rsa ")
    assert re.fullmatch(r"([0-9a-f]{2}:){15}[0-9a-f]{2}", made["fingerprint"])
    shown = client.get("/os-keypairs/made").json()["keypair"]
    assert "private_key" not in shown
    assert (shown["public_key"], shown["fingerprint"]) == (made["public_key"],
                                                           made["fingerprint"])
    # The public key is a real one: importing it elsewhere gives the same fingerprint.
    again = _import(fresh("2.10"), "copy", made["public_key"]).json()["keypair"]
    assert again["fingerprint"] == made["fingerprint"]


def test_generated_x509_certificate(fresh):
    client = fresh("2.10")
    resp = client.post("/os-keypairs", json={"keypair": {"name": "winrm", "type": "x509"}})
    assert resp.status_code == 201, resp.text
    made = resp.json()["keypair"]
    assert made["type"] == "x509"
    assert made["public_key"].startswith("-----BEGIN CERTIFICATE-----")
    assert made["private_key"]  # base64 PKCS#12
    assert client.get("/os-keypairs/winrm").json()["keypair"]["type"] == "x509"


def test_import_x509_certificate(fresh):
    resp = _import(fresh("2.2"), "cert", CERT, type="x509")
    assert resp.status_code == 201, resp.text
    assert resp.json()["keypair"]["fingerprint"] == CERT_FINGERPRINT


def test_generation_is_gone_from_2_92(fresh):
    client = fresh("2.92")
    assert_fault(client.post("/os-keypairs", json={"keypair": {"name": "made"}}), 400,
                 "badRequest", "'public_key' is a required property")
    assert _import(client, "imported").status_code == 201


def test_names_may_hold_at_and_dot_from_2_92(fresh):
    client = fresh("2.92")
    name = "alice@example.org key-1_x"
    assert _import(client, name).status_code == 201
    assert client.get("/os-keypairs/" + name).json()["keypair"]["name"] == name
    assert client.delete("/os-keypairs/" + name).status_code == 204
    message = assert_fault(_import(fresh("2.91"), name), 400, "badRequest",
                           "An invalid 'name' value was provided")
    assert "Only expected characters: [_- 0123456789abcdef" in message


# -- older microversions --------------------------------------------------------------------

def test_v2_1_has_no_type_and_answers_200_and_202(fresh):
    client = fresh("2.1")
    resp = _import(client, "old")
    assert resp.status_code == 200, resp.text
    assert "type" not in resp.json()["keypair"] and "user_id" in resp.json()["keypair"]
    assert "type" not in client.get("/os-keypairs").json()["keypairs"][0]["keypair"]
    assert "type" not in client.get("/os-keypairs/old").json()["keypair"]
    assert_fault(_import(client, "typed", type="ssh"), 400, "badRequest", "type")
    resp = client.delete("/os-keypairs/old")
    assert resp.status_code == 202 and resp.content == b""


def test_v2_2_has_type_and_answers_201_and_204(fresh):
    client = fresh("2.2")
    resp = _import(client, "typed", type="ssh")
    assert resp.status_code == 201 and resp.json()["keypair"]["type"] == "ssh"
    assert_fault(_import(client, "other", user_id="someone"), 400, "badRequest", "user_id")
    assert client.delete("/os-keypairs/typed").status_code == 204


def test_paging_from_2_35(fresh):
    client = fresh("2.35")
    names = ["k%d" % i for i in range(5)]
    for name in reversed(names):
        assert _import(client, name).status_code == 201
    first = client.get("/os-keypairs", params={"limit": 2}).json()
    assert [k["keypair"]["name"] for k in first["keypairs"]] == ["k0", "k1"]
    (link,) = first["keypairs_links"]
    assert link["rel"] == "next"
    assert "/v2.1/os-keypairs?" in link["href"]
    assert "limit=2" in link["href"] and "marker=k1" in link["href"]
    seen = [k["keypair"]["name"] for k in first["keypairs"]]
    page = first
    while "keypairs_links" in page:
        page = client.get(page["keypairs_links"][0]["href"]).json()
        seen += [k["keypair"]["name"] for k in page["keypairs"]]
    assert seen == names
    rest = client.get("/os-keypairs", params={"marker": "k3"}).json()
    assert [k["keypair"]["name"] for k in rest["keypairs"]] == ["k4"]
    assert "keypairs_links" not in rest
    assert_fault(client.get("/os-keypairs", params={"marker": "nope"}), 400, "badRequest",
                 "marker [nope] not found")
    assert_fault(client.get("/os-keypairs", params={"limit": "x"}), 400, "badRequest",
                 "limit")
    assert_fault(client.get("/os-keypairs", params={"limit": "-1"}), 400, "badRequest")


def test_no_paging_before_2_35(fresh, make_client):
    client = fresh("2.35")
    for name in ("a", "b", "c"):
        assert _import(client, name).status_code == 201
    user = client.http.headers["x-auth-token"].split(":")[0]
    older = make_client(user, "keys", "2.34")
    page = older.get("/os-keypairs", params={"limit": 1, "marker": "zzz"}).json()
    assert [k["keypair"]["name"] for k in page["keypairs"]] == ["a", "b", "c"]
    assert "keypairs_links" not in page


# -- whose key pairs ------------------------------------------------------------------------

def test_key_pairs_belong_to_users(make_client):
    owner = make_client("kp-owner", "keys")
    assert _import(owner, "mine").status_code == 201
    stranger = make_client("kp-stranger", "keys")  # same project, another user
    assert_fault(stranger.get("/os-keypairs/mine"), 404, "itemNotFound")
    assert_fault(stranger.delete("/os-keypairs/mine"), 404, "itemNotFound")
    assert stranger.get("/os-keypairs").json()["keypairs"] == []
    assert _import(stranger, "mine").status_code == 201  # names are per user
    # The same user in another project has the same key pairs.
    elsewhere = make_client("kp-owner", "elsewhere")
    assert elsewhere.get("/os-keypairs/mine").json()["keypair"]["user_id"] == "kp-owner"
    assert owner.get("/os-keypairs/mine").status_code == 200


def test_admins_name_a_user_from_2_10(make_client):
    admin = make_client("admin", "admin", "2.10")
    user = _user()
    resp = _import(admin, "given", user_id=user)
    assert resp.status_code == 201, resp.text
    assert resp.json()["keypair"]["user_id"] == user
    owner = make_client(user, "keys", "2.10")
    assert [k["keypair"]["name"] for k in owner.get("/os-keypairs").json()["keypairs"]] \
        == ["given"]
    own = admin.get("/os-keypairs").json()["keypairs"]
    assert "given" not in [k["keypair"]["name"] for k in own]
    theirs = admin.get("/os-keypairs", params={"user_id": user}).json()["keypairs"]
    assert [k["keypair"]["name"] for k in theirs] == ["given"]
    shown = admin.get("/os-keypairs/given", params={"user_id": user}).json()["keypair"]
    assert shown["user_id"] == user
    assert_fault(admin.get("/os-keypairs/given"), 404, "itemNotFound")  # not the admin's
    assert admin.delete("/os-keypairs/given", params={"user_id": user}).status_code == 204
    assert owner.get("/os-keypairs").json()["keypairs"] == []


def test_user_id_is_ignored_before_2_10(make_client):
    admin = make_client("admin", "admin", "2.9")
    user = _user()
    assert _import(make_client(user, "keys", "2.9"), "theirs").status_code == 201
    listed = admin.get("/os-keypairs", params={"user_id": user}).json()["keypairs"]
    assert "theirs" not in [k["keypair"]["name"] for k in listed]
    assert_fault(admin.get("/os-keypairs/theirs", params={"user_id": user}), 404,
                 "itemNotFound")


def test_members_may_not_name_another_user(fresh, make_client):
    client = fresh("2.10")
    victim = _user()
    assert _import(make_client(victim, "keys"), "theirs").status_code == 201
    for resp in (client.get("/os-keypairs", params={"user_id": victim}),
                 client.get("/os-keypairs/theirs", params={"user_id": victim}),
                 client.delete("/os-keypairs/theirs", params={"user_id": victim}),
                 _import(client, "planted", user_id=victim)):
        assert_fault(resp, 403, "forbidden", "os_compute_api:os-keypairs")
    assert make_client(victim, "keys").get("/os-keypairs/theirs").status_code == 200


def test_readers_manage_their_own_key_pairs(make_client):
    """Key pair policy is about the owner, not the role (as Nova)."""
    reader = make_client(_user(), "keys:reader")
    assert _import(reader, "read-only-user").status_code == 201
    assert reader.get("/os-keypairs/read-only-user").status_code == 200
    assert reader.delete("/os-keypairs/read-only-user").status_code == 204


# -- names and bad input --------------------------------------------------------------------

def test_duplicate_name_is_a_conflict(fresh):
    client = fresh()
    assert _import(client, "twice").status_code == 201
    assert_fault(_import(client, "twice"), 409, "conflictingRequest",
                 "Key pair 'twice' already exists.")
    assert_fault(client.post("/os-keypairs", json={"keypair": {"name": "twice"}},
                             headers={"OpenStack-API-Version": "compute 2.10"}),
                 409, "conflictingRequest")


def test_longest_name_and_a_space_inside(fresh):
    client = fresh()
    for name in ("x" * 255, "with space"):
        assert _import(client, name).status_code == 201
        assert client.get("/os-keypairs/" + name).status_code == 200


@pytest.mark.parametrize("keypair, fragments", [
    ({"public_key": ED25519}, ("'name' is a required property",)),
    ({"name": "", "public_key": ED25519}, ("keypair/name",)),
    ({"name": "x" * 256, "public_key": ED25519}, ("keypair/name", "too long")),
    ({"name": " lead", "public_key": ED25519}, ("keypair/name",)),
    ({"name": "trail ", "public_key": ED25519}, ("keypair/name",)),
    ({"name": 42, "public_key": ED25519}, ("keypair/name", "not of type 'string'")),
    ({"name": None, "public_key": ED25519}, ("keypair/name",)),
    ({"name": "bad!name", "public_key": ED25519}, ("An invalid 'name' value",)),
    ({"name": "sl/ash", "public_key": ED25519}, ("An invalid 'name' value",)),
    ({"name": "caf\u00e9", "public_key": ED25519}, ("An invalid 'name' value",)),
    ({"name": "tab\there", "public_key": ED25519}, ("keypair/name",)),
    ({"name": "k", "public_key": 42}, ("keypair/public_key", "not of type 'string'")),
    ({"name": "k", "public_key": None}, ("keypair/public_key",)),
    ({"name": "k", "public_key": ""}, ("Keypair data is invalid: failed to generate "
                                       "fingerprint",)),
    ({"name": "k", "public_key": "ssh-rsa AAAA junk"}, ("Keypair data is invalid",)),
    ({"name": "k", "public_key": "not a key"}, ("Keypair data is invalid",)),
    ({"name": "k", "public_key": CERT}, ("Keypair data is invalid",)),
    ({"name": "k", "public_key": ED25519, "type": "x509"},
     ("Keypair data is invalid: failed to generate X509 fingerprint",)),
    ({"name": "k", "public_key": ED25519, "type": "dsa"}, ("keypair/type", "dsa")),
    ({"name": "k", "public_key": ED25519, "user_id": 7}, ("keypair/user_id",)),
    ({"name": "k", "public_key": ED25519, "private_key": "x"},
     ("Additional properties are not allowed",)),
])
def test_bad_create_bodies(fresh, keypair, fragments):
    client = fresh("2.10")
    assert_fault(client.post("/os-keypairs", json={"keypair": keypair}), 400, "badRequest",
                 *fragments)
    assert client.get("/os-keypairs").json()["keypairs"] == []


@pytest.mark.parametrize("content", [
    b"", b"{not json", json.dumps({"keypairs": {}}).encode(),
    json.dumps({"keypair": "laptop"}).encode(), json.dumps([1]).encode(),
    json.dumps({"keypair": {"name": "k", "public_key": ED25519}, "extra": 1}).encode(),
])
def test_bad_bodies(fresh, content):
    resp = fresh().post("/os-keypairs", content=content,
                        headers={"content-type": "application/json"})
    assert_fault(resp, 400, "badRequest")


def test_unknown_query_parameters_from_2_75(fresh):
    client = fresh("2.75")
    assert _import(client, "q").status_code == 201
    for resp in (client.get("/os-keypairs", params={"sort_key": "name"}),
                 client.get("/os-keypairs/q", params={"all_tenants": "1"}),
                 client.delete("/os-keypairs/q", params={"force": "1"})):
        assert_fault(resp, 400, "badRequest", "Additional properties are not allowed")
    old = fresh("2.74")
    assert old.get("/os-keypairs", params={"sort_key": "name"}).status_code == 200


def test_unknown_key_pair_and_wrong_method(fresh):
    client = fresh()
    assert_fault(client.get("/os-keypairs/nope"), 404, "itemNotFound",
                 "Keypair nope not found")
    resp = client.put("/os-keypairs/nope", json={})
    assert_fault(resp, 405, "badMethod")
    assert resp.headers["allow"] == "DELETE, GET"


# -- quota ----------------------------------------------------------------------------------

def test_key_pair_quota(make_client, admin):
    project = "kq-" + uuid.uuid4().hex[:8]
    assert admin.put("/os-quota-sets/" + project,
                     json={"quota_set": {"key_pairs": 2}}).status_code == 200
    client = make_client(_user(), project)
    assert _import(client, "one").status_code == 201
    assert client.post("/os-keypairs", json={"keypair": {"name": "two"}},
                       headers={"OpenStack-API-Version": "compute 2.10"}).status_code == 201
    assert_fault(_import(client, "three"), 403, "forbidden",
                 "Quota exceeded, too many key pairs.")
    assert_fault(client.post("/os-keypairs", json={"keypair": {"name": "three"}},
                             headers={"OpenStack-API-Version": "compute 2.10"}),
                 403, "forbidden", "Quota exceeded, too many key pairs.")
    assert len(client.get("/os-keypairs").json()["keypairs"]) == 2
    assert client.delete("/os-keypairs/one").status_code == 204
    assert _import(client, "three").status_code == 201


# -- key_name on server create --------------------------------------------------------------

def test_boot_with_a_key_pair(cloud, make_client):
    user = _user()
    client = make_client(user, "keyboot")
    assert _import(client, "boot-key").status_code == 201
    server_id = client.boot("keyed", key_name="boot-key")["server"]["id"]
    assert client.server(server_id)["key_name"] == "boot-key"
    listed = client.get("/servers/detail", params={"key_name": "boot-key"}).json()["servers"]
    assert [s["id"] for s in listed] == [server_id]
    # The public key is kept on the instance (for metadata and config drives).
    assert db_instances.get(cloud.database, server_id).key_data == ED25519


def test_boot_with_an_unknown_or_someone_elses_key_is_refused(make_client):
    owner = make_client(_user(), "keyboot")
    assert _import(owner, "private-key").status_code == 201
    other = make_client(_user(), "keyboot")
    before = len(other.get("/servers").json()["servers"])
    for key_name in ("private-key", "missing"):
        resp = other.post("/servers", json={"server": {
            "name": "x", "imageRef": other.image_id(), "flavorRef": "1", "networks": "none",
            "key_name": key_name}})
        assert_fault(resp, 400, "badRequest", "Invalid key_name provided.")
    assert len(other.get("/servers").json()["servers"]) == before


# -- values no database could hold ----------------------------------------------------------

def test_nul_characters_and_overlong_ids_are_client_errors(fresh, make_client):
    """PostgreSQL refuses NUL in any text: these must be 4xx, never a database error."""
    client = fresh("2.10")
    admin = make_client("admin", "admin", "2.10")
    assert_fault(client.get("/os-keypairs/a%00b"), 400, "badRequest", "NUL")
    assert_fault(client.delete("/os-keypairs/a%00b"), 400, "badRequest", "NUL")
    assert_fault(client.get("/os-keypairs", params={"marker": "a\x00"}), 400, "badRequest")
    assert_fault(admin.get("/os-keypairs", params={"user_id": "u\x00"}), 400, "badRequest")
    assert_fault(_import(admin, "k", user_id="u\x00"), 400, "badRequest", "NUL")
    assert_fault(_import(admin, "k", user_id="u" * 256), 400, "badRequest", "keypair/user_id")
    for key, key_type in ((ED25519 + "\x00", "ssh"), (ED25519.replace("test@", "te\x00st@"),
                                                      "ssh"), (CERT + "\x00", "x509")):
        assert_fault(_import(client, "k", key, type=key_type), 400, "badRequest",
                     "Keypair data is invalid")
    assert client.get("/os-keypairs").json()["keypairs"] == []
