"""Image pre-distribution from the client side: `nova image-predistribute` and friends,
`openstack image predistribute|predistribution ...`, novaclient's `client.novalite` and
novalite.client.api, against a real `novalite serve` (two fake hosts, compute1/compute2).
Pre-distribution is admin only by default, so most calls use the `novalite-admin` cloud.

Both the demo image and any earlier job may already have cached the image on a host, so
a host that ends well is "done" or "already_cached"."""

import io
import json
import os
import pty
import subprocess
import time
import types
import uuid

import pytest
from keystoneauth1 import adapter
from novaclient import client as nova_client
from novaclient import exceptions as nova_exc

from novalite.client import api, novaclient_ext
from novalite.client.osc import image as osc_image
from tests.clients import ext_helpers as h
from tests.clients.conftest import IMAGE_NAME

ADMIN = "novalite-admin"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
HOSTS = {"compute1", "compute2"}
OK = {"done", "already_cached"}


@pytest.fixture(scope="module")
def admin_sess(cloud):
    return h.make_session(cloud, ADMIN)


@pytest.fixture(scope="module")
def image_id(admin_sess):
    images = adapter.Adapter(admin_sess, service_type="image").get(
        "/v2/images?name=%s" % IMAGE_NAME).json()["images"]
    return images[0]["id"]


def nova_job(stdout):
    """The job and host tables `nova image-predistribute|-show` print."""
    tables = h.parse_grids(stdout)
    job = {row["Property"]: row["Value"] for row in tables[0]}
    return job, tables[1]


def assert_all_cached(job):
    assert job["status"] == "done", job
    assert {host["host"] for host in job["hosts"]} == HOSTS
    assert {host["state"] for host in job["hosts"]} <= OK


# --- the `nova` CLI ---------------------------------------------------------------------

def test_nova_commands_are_there(cloud):
    for verb in ("image-predistribute", "image-predistribution-show",
                 "image-predistribution-list", "image-predistribution-cancel"):
        assert "novalite extension" in " ".join(h.nova(cloud, "help", verb).stdout.split())


def test_nova_predistribute_by_name_wait(cloud, image_id):
    done = h.nova(cloud, "image-predistribute", IMAGE_NAME, "--wait", name=ADMIN)
    job, hosts = nova_job(done.stdout)
    assert job["image_id"] == image_id and job["status"] == "done"
    assert job["progress"] in ("100", "100.0") and job["finished_at"] != "-"
    assert {row["Host"] for row in hosts} == HOSTS
    assert {row["State"] for row in hosts} <= OK
    assert {row["Progress"] for row in hosts} == {"100%"}
    # Not a terminal: one plain line per host state change, before the tables.
    progress_lines = done.stdout.split("+", 1)[0].splitlines()
    assert "\x1b" not in done.stdout
    for host in HOSTS:
        assert any(line.startswith(host + ": ") for line in progress_lines)
    assert any(line.startswith("compute1: done") or line.startswith("compute1: already")
               for line in progress_lines)


def test_nova_wait_on_a_terminal_redraws_in_place(cloud):
    # stdout is a pseudo-terminal here, as for someone at a shell.
    env = dict(h.nova_env(cloud, ADMIN), COLUMNS="120")
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen([h.nova_path(), "image-predistribute", IMAGE_NAME, "--wait"],
                                env=env, stdout=follower, stderr=subprocess.PIPE)
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        assert proc.wait(timeout=120) == 0, proc.stderr.read()
    finally:
        os.close(leader)
    text = output.decode()
    assert "\x1b[2K" in text and "\x1b[J" in text  # lines cleared and redrawn
    assert "] 100%" in text and "compute1 " in text and "compute2 " in text


def test_nova_predistribute_one_host_then_show(cloud, admin_sess, image_id):
    done = h.nova(cloud, "image-predistribute", image_id, "--host", "compute1", name=ADMIN)
    job, hosts = nova_job(done.stdout)
    assert uuid.UUID(job["id"]) and job["image_id"] == image_id
    assert job["status"] in ("pending", "running", "done")
    assert [row["Host"] for row in hosts] == ["compute1"]
    api.wait_for_predistribution(admin_sess, job["id"], timeout=60)
    shown, hosts = nova_job(h.nova(cloud, "image-predistribution-show", job["id"],
                                   name=ADMIN).stdout)
    assert shown["id"] == job["id"] and shown["status"] == "done"
    assert [(row["Host"], row["State"] in OK) for row in hosts] == [("compute1", True)]


def test_nova_list_newest_first(cloud, admin_sess, image_id):
    older = api.predistribute(admin_sess, image_id, hosts=["compute2"])
    newer = api.predistribute(admin_sess, image_id, hosts=["compute1"])
    rows = h.parse_grids(h.nova(cloud, "image-predistribution-list", name=ADMIN).stdout)[0]
    ids = [row["ID"] for row in rows]
    assert ids.index(newer["id"]) < ids.index(older["id"])
    assert set(rows[0]) == {"ID", "Image", "Status", "Progress", "Created"}
    assert rows[ids.index(newer["id"])]["Image"] == image_id


def assert_cancelled_or_too_late(done, accepted):
    """A small image may be cached before the cancel lands: then the answer is a clear
    409 instead. Both are right; the job ends either way."""
    if done.returncode == 0:
        assert accepted in done.stdout
    else:
        assert "HTTP 409" in done.stderr and "already finished" in done.stderr, done.stderr


def test_nova_cancel(cloud, admin_sess, image_id):
    job = api.predistribute(admin_sess, image_id)
    done = h.nova(cloud, "image-predistribution-cancel", job["id"], name=ADMIN, check=False)
    assert_cancelled_or_too_late(done, "Request to cancel image pre-distribution job %s "
                                       "has been accepted." % job["id"])
    final = api.wait_for_predistribution(admin_sess, job["id"], timeout=60)
    assert final["status"] in ("cancelled", "done")
    assert {host["state"] for host in final["hosts"]} <= OK | {"cancelled"}
    # Cancelling a finished job is a conflict, said plainly.
    done = h.nova(cloud, "image-predistribution-cancel", job["id"], name=ADMIN, check=False)
    assert done.returncode == 1
    assert "ERROR (Conflict)" in done.stderr and "already finished" in done.stderr


def test_nova_unknown_job(cloud):
    for verb in ("image-predistribution-show", "image-predistribution-cancel"):
        done = h.nova(cloud, verb, UNKNOWN, name=ADMIN, check=False)
        assert done.returncode == 1
        assert "ERROR (NotFound)" in done.stderr and "HTTP 404" in done.stderr


def test_nova_non_admin_is_a_clear_403(cloud):
    done = h.nova(cloud, "image-predistribute", IMAGE_NAME, check=False)
    assert done.returncode == 1
    assert "ERROR (Forbidden)" in done.stderr and "HTTP 403" in done.stderr
    assert "Property" not in done.stdout
    done = h.nova(cloud, "image-predistribution-list", check=False)
    assert done.returncode == 1 and "HTTP 403" in done.stderr


def test_nova_unknown_image(cloud):
    done = h.nova(cloud, "image-predistribute", "no-such-image", name=ADMIN, check=False)
    assert done.returncode == 1
    assert "No image with a name or ID of 'no-such-image' exists." in done.stderr
    done = h.nova(cloud, "image-predistribute", UNKNOWN, name=ADMIN, check=False)
    assert done.returncode == 1
    assert "No image with a name or ID of '%s' exists." % UNKNOWN in done.stderr


# --- the `openstack` CLI ----------------------------------------------------------------

def test_osc_commands_are_listed(cloud):
    done = cloud.openstack("command", "list", "--group", "novalite", "-f", "json")
    commands = {c for group in done for c in group["Commands"]}
    assert {"image predistribute", "image predistribution show",
            "image predistribution list", "image predistribution delete"} <= commands


def test_osc_predistribute_wait_json(cloud, image_id):
    # --format, not -f: Cloud.openstack would parse -f json and drop stderr.
    done = cloud.openstack("image", "predistribute", IMAGE_NAME, "--wait", "--format",
                           "json", cloud=ADMIN, check=False)
    assert done.returncode == 0, done.stderr
    job = json.loads(done.stdout)
    assert set(job) == {"id", "image_id", "status", "progress", "created_at", "started_at",
                        "finished_at", "hosts"}
    assert job["image_id"] == image_id and job["progress"] == 100
    assert_all_cached(job)
    assert {"bytes_done", "bytes_total", "message"} <= set(job["hosts"][0])
    # The progress went to stderr, one line per state change; stdout is only the JSON.
    for host in HOSTS:
        assert host + ": " in done.stderr


def test_osc_predistribute_host_table_show_list(cloud, admin_sess, image_id):
    table = cloud.openstack("image", "predistribute", image_id, "--host", "compute2",
                            cloud=ADMIN).stdout
    assert "compute2: " in table and "| hosts " in table
    rows = cloud.openstack("image", "predistribution", "list", "-f", "json", cloud=ADMIN)
    assert set(rows[0]) == {"ID", "Image", "Status", "Progress", "Created"}
    job_id = rows[0]["ID"]  # newest first: the one just made
    assert rows[0]["Image"] == image_id
    api.wait_for_predistribution(admin_sess, job_id, timeout=60)
    shown = cloud.openstack("image", "predistribution", "show", job_id, "-f", "json",
                            cloud=ADMIN)
    assert shown["id"] == job_id and shown["status"] == "done"
    assert [x["host"] for x in shown["hosts"]] == ["compute2"]
    assert shown["hosts"][0]["state"] in OK


def test_osc_delete(cloud, admin_sess, image_id):
    job = api.predistribute(admin_sess, image_id)
    done = cloud.openstack("image", "predistribution", "delete", job["id"], cloud=ADMIN,
                           check=False)
    assert_cancelled_or_too_late(done, "")
    api.wait_for_predistribution(admin_sess, job["id"], timeout=60)
    done = cloud.openstack("image", "predistribution", "delete", job["id"], UNKNOWN,
                           cloud=ADMIN, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "already finished" in done.stderr and "HTTP 409" in done.stderr
    assert UNKNOWN in done.stderr and "HTTP 404" in done.stderr
    assert "2 of 2 job(s) failed to cancel." in done.stderr


def test_osc_predistribute_aggregate_and_zone(cloud, image_id):
    name = "predist-" + uuid.uuid4().hex[:6]
    aggregate = cloud.openstack("aggregate", "create", name, "-f", "json", cloud=ADMIN)
    try:
        cloud.openstack("aggregate", "add", "host", name, "compute2", cloud=ADMIN)
        job = cloud.openstack("image", "predistribute", IMAGE_NAME, "--aggregate",
                              str(aggregate["id"]), "--wait", "-f", "json", cloud=ADMIN)
        assert [x["host"] for x in job["hosts"]] == ["compute2"]
        assert job["status"] == "done"
    finally:
        cloud.openstack("aggregate", "remove", "host", name, "compute2", cloud=ADMIN,
                        check=False)
        cloud.openstack("aggregate", "delete", name, cloud=ADMIN, check=False)
    job = cloud.openstack("image", "predistribute", IMAGE_NAME, "--availability-zone",
                          "nova", "--wait", "-f", "json", cloud=ADMIN)
    assert_all_cached(job)


def test_osc_non_admin_is_a_clear_403(cloud):
    done = cloud.openstack("image", "predistribute", IMAGE_NAME, check=False)
    assert done.returncode == 1
    assert "HTTP 403" in done.stderr and "forbidden" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_osc_unknown_image_and_job(cloud):
    done = cloud.openstack("image", "predistribute", "no-such-image", cloud=ADMIN,
                           check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "Unable to find image 'no-such-image'" in done.stderr
    done = cloud.openstack("image", "predistribution", "show", UNKNOWN, cloud=ADMIN,
                           check=False)
    assert done.returncode == 1 and "HTTP 404" in done.stderr


# --- Python: novaclient's client.novalite and novalite.client.api -----------------------

def test_novaclient_python_api(admin_sess, image_id):
    nova = nova_client.Client("2.96", session=admin_sess,
                              extensions=nova_client.discover_extensions("2.96"))
    job = nova.novalite.predistribute(image_id, hosts=["compute1", "compute2"])
    seen = []
    final = nova.novalite.wait_for_predistribution(job["id"], on_progress=seen.append,
                                                   interval=0.1, timeout=60)
    assert_all_cached(final)
    assert seen[-1] == final
    assert nova.novalite.get_predistribution(job["id"])["id"] == job["id"]
    assert job["id"] in [j["id"] for j in nova.novalite.list_predistributions()]
    with pytest.raises(nova_exc.NotFound):
        nova.novalite.cancel_predistribution(UNKNOWN)


def test_api_predistribute_and_wait(admin_sess, image_id):
    job = api.predistribute(admin_sess, image_id, hosts=["compute2"])
    assert job["image_id"] == image_id and job["status"] in ("pending", "running", "done")
    polls = []
    final = api.wait_for_predistribution(admin_sess, job["id"], on_progress=polls.append,
                                         interval=0.1, timeout=60)
    assert api.is_finished(final) and polls[-1] is final
    assert final["status"] == "done" and api.failed_hosts(final) == []
    assert final["progress"] == 100
    assert api.list_predistributions(admin_sess)[0]["created_at"] >= job["created_at"]


def test_api_errors(cloud, admin_sess, image_id):
    with pytest.raises(api.Forbidden) as e:
        api.predistribute(h.make_session(cloud), image_id)
    assert e.value.status_code == 403 and e.value.fault == "forbidden"
    with pytest.raises(api.NotFound):
        api.get_predistribution(admin_sess, UNKNOWN)
    with pytest.raises(api.NotFound):
        api.cancel_predistribution(admin_sess, UNKNOWN)
    with pytest.raises((api.BadRequest, api.NotFound)):
        api.predistribute(admin_sess, UNKNOWN)


# --- cancelling for real: an image big enough to still be downloading --------------------

@pytest.fixture
def big_image(admin_sess):
    """A fresh 96 MiB image no host has cached. Hosts fetch a job's image one after another
    ([image_cache] precache_concurrency = 1), each for a good fraction of a second, so a
    cancel sent right after the job starts finds compute2 still pending."""
    glance = adapter.Adapter(admin_sess, service_type="image")
    image = glance.post("/v2/images", json={
        "name": "predist-big-" + uuid.uuid4().hex[:6], "disk_format": "raw",
        "container_format": "bare"}).json()
    glance.put("/v2/images/%s/file" % image["id"], data=bytes(96 * 1024 * 1024),
               headers={"Content-Type": "application/octet-stream"})
    yield image["id"]
    glance.delete("/v2/images/%s" % image["id"], raise_exc=False)


def test_api_cancel_skips_the_hosts_not_started(cloud, admin_sess, big_image):
    job = api.predistribute(admin_sess, big_image, hosts=["compute1", "compute2"])
    api.cancel_predistribution(admin_sess, job["id"])
    final = api.wait_for_predistribution(admin_sess, job["id"], interval=0.1, timeout=60)
    assert final["status"] == "cancelled"
    assert "cancelled" in {x["state"] for x in final["hosts"]}
    assert [x["state"] for x in api.failed_hosts(final)] == ["cancelled"] * len(
        api.failed_hosts(final))
    _, hosts = nova_job(h.nova(cloud, "image-predistribution-show", job["id"],
                               name=ADMIN).stdout)
    assert "cancelled" in {row["State"] for row in hosts}


def test_nova_wait_exits_1_when_hosts_are_cancelled(cloud, admin_sess, big_image):
    before = {j["id"] for j in api.list_predistributions(admin_sess)}
    proc = subprocess.Popen([h.nova_path(), "image-predistribute", big_image, "--wait"],
                            env=h.nova_env(cloud, ADMIN), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:  # the job the CLI just made, cancelled while compute1 downloads
            new = [j for j in api.list_predistributions(admin_sess) if j["id"] not in before]
            if new or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        api.cancel_predistribution(admin_sess, new[0]["id"])
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 1, (out, err)
    assert "ERROR (CommandError)" in err and "did not reach host(s)" in err
    assert ": cancelled" in err and new[0]["id"] in err
    job, hosts = nova_job(out)  # the final job is printed all the same
    assert job["status"] == "cancelled" and "cancelled" in {row["State"] for row in hosts}
    assert ": cancelled " in out.split("+", 1)[0]  # and the state change was logged


# --- exit codes when a host fails (no server: the hosts' fate is faked) -----------------

FAILED_JOB = {
    "id": "j1", "image_id": "i1", "status": "error", "progress": 50.0,
    "created_at": "2026-11-22T00:00:00Z", "started_at": "2026-11-22T00:00:01Z",
    "finished_at": "2026-11-22T00:00:02Z",
    "hosts": [{"host": "compute1", "state": "done", "bytes_done": 4, "bytes_total": 4,
               "message": None},
              {"host": "compute2", "state": "error", "bytes_done": 0, "bytes_total": 4,
               "message": "disk full"}]}


def test_nova_wait_fails_when_a_host_errored(capsys):
    manager = types.SimpleNamespace(
        predistribute=lambda image, **kw: dict(FAILED_JOB, status="running"),
        wait_for_predistribution=lambda job_id, on_progress: on_progress(FAILED_JOB)
        or FAILED_JOB)
    cs = types.SimpleNamespace(novalite=manager,
                               glance=types.SimpleNamespace(find_image=lambda n: "i1"))
    args = types.SimpleNamespace(image="cirros", hosts=None, aggregate=None,
                                 availability_zone=None, wait=True)
    with pytest.raises(nova_exc.CommandError) as e:
        novaclient_ext.do_image_predistribute(cs, args)
    assert "compute2: error" in str(e.value)
    out = capsys.readouterr().out
    assert "compute2: error 0 B/4 B (0%): disk full" in out  # the progress line
    assert "disk full" in nova_job(out)[1][1]["Message"]  # and the host table


def test_osc_wait_exits_1_when_a_host_errored(monkeypatch):
    monkeypatch.setattr(api, "predistribute", lambda *a, **kw: FAILED_JOB)
    monkeypatch.setattr(api, "wait_for_predistribution",
                        lambda sess, job_id, on_progress: FAILED_JOB)
    stdout, stderr = io.StringIO(), io.StringIO()
    image_client = types.SimpleNamespace(
        find_image=lambda name, ignore_missing: types.SimpleNamespace(id="i1"))
    app = types.SimpleNamespace(
        stdout=stdout, stderr=stderr, options=types.SimpleNamespace(debug=False),
        client_manager=types.SimpleNamespace(image=image_client, novalite=object()))
    cmd = osc_image.PredistributeImage(app, None)
    parsed = cmd.get_parser("openstack image predistribute").parse_args(
        ["cirros", "--wait", "-f", "json"])
    assert cmd.run(parsed) == 1
    assert '"status": "error"' in stdout.getvalue()  # the job is still printed


# --- Nova's own: `openstack aggregate cache image` (2.81) -------------------------------

def _host_cache(cloud, host) -> str:
    return os.path.join(cloud.state_dir, "hosts", host, "_base")


@pytest.fixture
def cache_aggregate(cloud):
    """An aggregate holding compute1 only."""
    name = "cache-" + uuid.uuid4().hex[:6]
    cloud.openstack("aggregate", "create", name, cloud=ADMIN)
    cloud.openstack("aggregate", "add", "host", name, "compute1", cloud=ADMIN)
    yield name
    cloud.openstack("aggregate", "remove", "host", name, "compute1", cloud=ADMIN,
                    check=False)
    cloud.openstack("aggregate", "delete", name, cloud=ADMIN, check=False)


@pytest.fixture
def fresh_image(admin_sess):
    """A small image no host has cached yet."""
    glance = adapter.Adapter(admin_sess, service_type="image")
    image = glance.post("/v2/images", json={
        "name": "cache-me-" + uuid.uuid4().hex[:6], "disk_format": "raw",
        "container_format": "bare"}).json()
    glance.put("/v2/images/%s/file" % image["id"], data=os.urandom(1 << 20),
               headers={"Content-Type": "application/octet-stream"})
    yield image
    glance.delete("/v2/images/%s" % image["id"], raise_exc=False)


def test_osc_aggregate_cache_image(cloud, admin_sess, cache_aggregate, fresh_image):
    done = cloud.openstack("--os-compute-api-version", "2.81", "aggregate", "cache",
                           "image", cache_aggregate, fresh_image["name"], cloud=ADMIN)
    assert done.stdout.strip() == "" and "Traceback" not in done.stderr
    cached = os.path.join(_host_cache(cloud, "compute1"), fresh_image["id"])
    deadline = time.monotonic() + 60
    while not os.path.exists(cached):
        assert time.monotonic() < deadline, os.listdir(_host_cache(cloud, "compute1"))
        time.sleep(0.1)
    with open(cached, "rb") as f:
        assert f.read() == adapter.Adapter(admin_sess, service_type="image").get(
            "/v2/images/%s/file" % fresh_image["id"]).content
    # The job it rode on says the same, and only the aggregate's host got the image.
    job = [j for j in api.list_predistributions(admin_sess)
           if j["image_id"] == fresh_image["id"]][0]
    final = api.wait_for_predistribution(admin_sess, job["id"], timeout=60)
    assert final["status"] == "done"
    assert [(x["host"], x["state"]) for x in final["hosts"]] == [("compute1", "done")]
    assert not os.path.exists(os.path.join(_host_cache(cloud, "compute2"),
                                           fresh_image["id"]))


def test_osc_aggregate_cache_image_errors(cloud, cache_aggregate, fresh_image):
    def cache(version, aggregate, image):
        done = cloud.openstack("--os-compute-api-version", version, "aggregate", "cache",
                               "image", aggregate, image, cloud=ADMIN, check=False)
        assert done.returncode == 1 and done.stdout == "", (done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        return done.stderr.strip()

    assert cache("2.81", cache_aggregate, "no-such-image") == \
        "No Image found for no-such-image"
    assert cache("2.81", cache_aggregate, UNKNOWN) == "No Image found for " + UNKNOWN
    assert cache("2.81", "no-such-aggregate", fresh_image["id"]) == \
        "No Aggregate found for no-such-aggregate"
    # Before 2.81 the command says which microversion it needs.
    assert cache("2.80", cache_aggregate, fresh_image["id"]) == \
        "This operation requires server support for API microversion 2.81"
    # None of these made a job.
    jobs = cloud.openstack("image", "predistribution", "list", "-f", "json", cloud=ADMIN)
    assert fresh_image["id"] not in {j["Image"] for j in jobs}
