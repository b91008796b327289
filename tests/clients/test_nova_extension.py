"""novalite's python-novaclient extension (`nova multi-show`, `nova backup-instance`,
`client.novalite.*`) and the shared client module under it (novalite.client.api), against
a real `novalite serve` (the session-scoped `cloud` fixture)."""

import uuid

import pytest
import requests
from keystoneauth1 import adapter
from novaclient import client as nova_client
from novaclient import exceptions as nova_exc

from novalite.client import api
from tests.clients import ext_helpers as h
from tests.clients.conftest import IMAGE_NAME

UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def sess(cloud):
    return h.make_session(cloud)


@pytest.fixture(scope="module")
def servers(sess):
    booted = h.boot_servers(sess, 3, prefix="novaext")
    yield booted
    h.delete_servers(sess, booted)


@pytest.fixture(scope="module")
def nova(sess):
    # Extensions are opt-in in the Python API: discover_extensions finds ours by entry point.
    return nova_client.Client("2.96", session=sess,
                              extensions=nova_client.discover_extensions("2.96"))


# --- the `nova` CLI ---------------------------------------------------------------------

def test_nova_multi_show_by_id_and_name(cloud, servers):
    done = h.nova(cloud, "multi-show", servers[0]["id"], servers[1]["name"],
                  servers[2]["id"])
    tables = h.parse_tables(done.stdout)
    assert [t["id"] for t in tables] == [s["id"] for s in servers]
    for table, server in zip(tables, servers, strict=True):
        # The fields and formatting of `nova show`.
        assert table["name"] == server["name"]
        assert table["status"] == "ACTIVE"
        assert table["flavor:original_name"] == "m1.tiny"
        assert table["image"] == "%s (%s)" % (IMAGE_NAME, server["image"]["id"])
        assert table["private network"] == server["addresses"]["private"][0]["addr"]
        assert table["OS-EXT-STS:vm_state"] == "active"


def test_nova_multi_show_matches_nova_show(cloud, servers):
    shown = h.parse_tables(h.nova(cloud, "show", servers[0]["id"]).stdout)
    multi = h.parse_tables(h.nova(cloud, "multi-show", servers[0]["id"]).stdout)
    assert multi == shown


def test_nova_multi_show_minimal(cloud, servers):
    tables = h.parse_tables(h.nova(cloud, "multi-show", "--minimal", servers[0]["name"]).stdout)
    assert tables[0]["image"] == servers[0]["image"]["id"]
    assert tables[0]["flavor"] == "m1.tiny"


def test_nova_multi_show_unknown_id_is_a_clear_404(cloud, servers):
    done = h.nova(cloud, "multi-show", servers[0]["id"], UNKNOWN, check=False)
    assert done.returncode == 1
    assert "ERROR (NotFound)" in done.stderr
    assert UNKNOWN in done.stderr and "HTTP 404" in done.stderr
    assert "Property" not in done.stdout  # nothing half-printed


def test_nova_multi_show_unknown_name(cloud, servers):
    done = h.nova(cloud, "multi-show", servers[0]["id"], "no-such-server", check=False)
    assert done.returncode == 1
    assert "No server with a name or ID of 'no-such-server' exists." in done.stderr


def test_nova_multi_show_ignore_missing(cloud, servers):
    done = h.nova(cloud, "multi-show", "--ignore-missing", servers[0]["id"], UNKNOWN,
                  "no-such-server")
    assert [t["id"] for t in h.parse_tables(done.stdout)] == [servers[0]["id"]]
    assert UNKNOWN in done.stderr and "no-such-server" in done.stderr


def test_nova_multi_show_too_many(cloud):
    ids = [str(uuid.uuid4()) for _ in range(11)]
    done = h.nova(cloud, "multi-show", *ids, check=False)
    assert done.returncode == 1
    assert "ERROR (BadRequest)" in done.stderr and "HTTP 400" in done.stderr


def test_nova_backup_instance(cloud, sess, servers):
    name = "nova-bk-" + uuid.uuid4().hex[:6]
    done = h.nova(cloud, "backup-instance", servers[1]["name"], name, "before upgrade")
    image_id = done.stdout.strip()
    assert uuid.UUID(image_id)
    h.wait_for_image(sess, image_id)
    image = cloud.openstack("image", "show", image_id, "-f", "json")
    assert image["name"] == name and image["status"] == "active"
    assert image["properties"]["description"] == "before upgrade"
    assert image["properties"]["instance_uuid"] == servers[1]["id"]
    cloud.openstack("image", "delete", image_id)


def test_nova_backup_instance_unknown_server(cloud):
    done = h.nova(cloud, "backup-instance", UNKNOWN, "bk", check=False)
    assert done.returncode == 1
    assert "No server with a name or ID of '%s' exists." % UNKNOWN in done.stderr


def test_nova_multi_show_all_tenants_as_admin(cloud, servers):
    done = h.nova(cloud, "multi-show", "--all-tenants", servers[0]["id"],
                  name="novalite-admin")
    table = h.parse_tables(done.stdout)[0]
    assert table["id"] == servers[0]["id"]
    assert table["OS-EXT-SRV-ATTR:host"].startswith("compute")


# --- novaclient's Python API: client.novalite -------------------------------------------

def test_extension_is_discovered():
    names = [e.name for e in nova_client.discover_extensions("2.1")]
    assert "novalite" in names


def test_python_multi_show(nova, servers):
    found = nova.novalite.multi_show([servers[2]["id"], nova.servers.get(servers[0]["id"])])
    assert [s.id for s in found] == [servers[2]["id"], servers[0]["id"]]
    assert found[0].name == servers[2]["name"]
    assert found[0].flavor["original_name"] == "m1.tiny"  # the client's microversion, 2.96
    assert found[0].networks == {"private": [servers[2]["addresses"]["private"][0]["addr"]]}
    assert found.not_found == []


def test_python_multi_show_errors(nova, servers):
    with pytest.raises(nova_exc.NotFound) as e:
        nova.novalite.multi_show([servers[0]["id"], UNKNOWN])
    assert UNKNOWN in str(e.value) and e.value.request_id
    found = nova.novalite.multi_show([servers[0]["id"], UNKNOWN], ignore_missing=True)
    assert [s.id for s in found] == [servers[0]["id"]]
    assert found.not_found == [UNKNOWN]
    with pytest.raises(nova_exc.BadRequest):
        nova.novalite.multi_show([str(uuid.uuid4()) for _ in range(11)])


def test_python_backup_instance(nova, sess, servers):
    image_id = nova.novalite.backup_instance(nova.servers.get(servers[0]["id"]), "py-bk")
    assert h.wait_for_image(sess, image_id)["name"] == "py-bk"
    adapter.Adapter(sess, service_type="image").delete("/v2/images/%s" % image_id)


# --- the shared module, novalite.client.api ---------------------------------------------

def test_api_multi_show_is_get_server_in_bulk(sess, servers):
    compute = adapter.Adapter(sess, service_type="compute", default_microversion="2.96")
    ids = [s["id"] for s in reversed(servers)]
    found = api.multi_show(sess, ids + ids[:1], microversion="2.96")  # duplicates dropped
    assert [s["id"] for s in found] == ids
    for server in found:
        assert server == compute.get("/servers/%s" % server["id"]).json()["server"]


def test_api_multi_show_default_microversion_is_2_1(sess, servers):
    found = api.multi_show(sess, [servers[0]["id"]])
    assert set(found[0]["flavor"]) == {"id", "links"}


def test_api_errors(sess, servers):
    with pytest.raises(api.NotFound) as e:
        api.multi_show(sess, [servers[0]["id"], UNKNOWN])
    err = e.value
    assert err.status_code == 404 and err.fault == "itemNotFound"
    assert UNKNOWN in err.message and err.request_id.startswith("req-")
    assert "HTTP 404" in str(err) and err.request_id in str(err)
    found = api.multi_show(sess, [UNKNOWN, servers[1]["id"]], ignore_missing=True)
    assert [s["id"] for s in found] == [servers[1]["id"]] and found.not_found == [UNKNOWN]
    with pytest.raises(api.BadRequest) as e:
        api.multi_show(sess, [str(uuid.uuid4()) for _ in range(11)])
    assert e.value.fault == "badRequest"
    with pytest.raises(api.BadRequest):
        api.multi_show(sess, ["not-a-uuid"])
    with pytest.raises(api.NotFound):
        api.backup_instance(sess, UNKNOWN, "bk")
    with pytest.raises(ValueError):
        api.multi_show(sess, [])
    with pytest.raises(TypeError):
        api.multi_show("http://127.0.0.1:8774", [UNKNOWN])


def test_api_backup_instance(sess, servers):
    image_id = api.backup_instance(sess, servers[2]["id"], "api-bk", description="d")
    image = h.wait_for_image(sess, image_id)
    assert image["name"] == "api-bk" and image["description"] == "d"
    adapter.Adapter(sess, service_type="image").delete("/v2/images/%s" % image_id)


def test_compute_adapter_copies_a_novaclient_adapter(nova, sess):
    compute = api.compute_adapter(nova.client, "2.60")
    assert type(compute) is adapter.Adapter
    assert compute.session is sess and compute.service_type == "compute"
    assert compute.interface == nova.client.interface
    assert compute.default_microversion == "2.60"
    assert api.compute_adapter(compute).default_microversion == "2.60"
    assert api.compute_adapter(sess, interface="internal").interface == "internal"


def test_max_microversion(sess):
    assert api.max_microversion(sess) == "2.96"


def _response(status, body, content_type="application/json"):
    resp = requests.Response()  # a tiny fake: no server involved
    resp.status_code = status
    resp._content = body.encode()
    resp.headers["Content-Type"] = content_type
    resp.headers["X-Openstack-Request-Id"] = "req-1"
    return resp


def test_error_parsing_without_a_server():
    err = api._error(_response(404, '{"itemNotFound": {"code": 404, "message": "gone"}}'))
    assert isinstance(err, api.NotFound)
    assert str(err) == "gone (HTTP 404, itemNotFound) (Request-ID: req-1)"
    err = api._error(_response(502, "<html>Bad Gateway</html>", "text/html"))
    assert type(err) is api.ClientError and err.fault is None
    assert err.message == "<html>Bad Gateway</html>" and err.status_code == 502
    err = api._error(_response(409, '{"conflictingRequest": {"code": 409, "message": "busy"}}'))
    assert type(err) is api.ClientError and err.fault == "conflictingRequest"

