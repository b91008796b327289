"""Key pairs and quotas on MariaDB and PostgreSQL.

Quotas hold under concurrency there, where no Python lock serialises writers: the count and
the insert share a transaction holding the project's quota_locks row (SELECT ... FOR
UPDATE). Two ways: 20 parallel boots over HTTP against the API process of a real cloud, and
40 parallel creates through two separate engines (as two API processes would hold) on a
fresh database. And input those databases refuse (NUL, overlong ids) is a 400, not a 500."""

import concurrent.futures
import threading
import uuid

import pytest

from novalite import conf as nl_conf
from novalite import exception, quota
from novalite.db import database, migration
from novalite.objects.flavor import Flavor
from novalite.objects.instance import Instance
from novalite.objects.keypair import KeyPair
from tests.distributed import backends

pytestmark = pytest.mark.distributed

ED25519 = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJy/hJ8JLq5y3WVSMjWavoyPnXIPDUQmNBqRb3RzQGu4 "
           "test@example")


def _race(count, call):
    """Run call(i) for i in range(count) on count threads released together."""
    start = threading.Barrier(count)

    def run(i):
        start.wait()
        return call(i)

    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_twenty_parallel_boots_against_a_quota_of_ten(cloud):
    client = cloud.client("racer", "race-" + uuid.uuid4().hex[:8])  # default quota: 10
    image = client.image_id()
    answers = _race(20, lambda i: client.post("/servers", json={"server": {
        "name": "race-%d" % i, "imageRef": image, "flavorRef": "1", "networks": "none"}}))
    codes = sorted(r.status_code for r in answers)
    assert codes == [202] * 10 + [403] * 10, [r.text for r in answers]
    refused = [r.json() for r in answers if r.status_code == 403]
    assert all(body["forbidden"]["message"] == "Quota exceeded for instances: Requested 1, "
               "but already used 10 of 10 instances" for body in refused), refused
    assert len(client.get("/servers").json()["servers"]) == 10
    limits = client.get("/limits").json()["limits"]["absolute"]
    assert (limits["totalInstancesUsed"], limits["totalCoresUsed"]) == (10, 10)


def test_parallel_key_pair_imports_against_their_quota(cloud):
    project = "kprace-" + uuid.uuid4().hex[:8]
    admin = cloud.client("admin", "admin")
    assert admin.put("/os-quota-sets/" + project,
                     json={"quota_set": {"key_pairs": 5}}).status_code == 200
    client = cloud.client("kp-racer-" + uuid.uuid4().hex[:6], project)
    answers = _race(12, lambda i: client.post("/os-keypairs", json={"keypair": {
        "name": "k%d" % i, "public_key": ED25519}}))
    assert sorted(r.status_code for r in answers) == [201] * 5 + [403] * 7
    assert len(client.get("/os-keypairs").json()["keypairs"]) == 5


def test_key_pair_round_trip_and_values_the_database_refuses(cloud):
    client = cloud.client("kp-" + uuid.uuid4().hex[:8], "keys")
    client.http.headers["OpenStack-API-Version"] = "compute 2.10"
    assert client.post("/os-keypairs", json={"keypair": {
        "name": "Key one", "public_key": ED25519}}).status_code == 201
    shown = client.get("/os-keypairs/Key one").json()["keypair"]
    assert shown["fingerprint"] == "a4:90:70:00:f5:49:0b:d1:d3:9c:79:f9:69:49:15:20"
    assert len(shown["created_at"]) == 26  # microseconds kept (MariaDB: DATETIME(6))
    admin = cloud.client("admin", "admin")
    for resp in (client.get("/os-keypairs/a%00b"),
                 client.get("/os-keypairs", params={"marker": "\x00"}),
                 client.post("/os-keypairs", json={"keypair": {
                     "name": "nul", "public_key": ED25519 + "\x00"}}),
                 admin.get("/os-quota-sets/a%00b"),
                 admin.put("/os-quota-sets/" + "p" * 256,
                           json={"quota_set": {"instances": 1}}),
                 admin.get("/limits", params={"tenant_id": "\x00"})):
        assert resp.status_code == 400, resp.text
    assert [k["keypair"]["name"] for k in client.get("/os-keypairs").json()["keypairs"]] \
        == ["Key one"]


@pytest.fixture
def two_engines(sql_server):
    """Two Database objects (two API processes' worth of connections) on a fresh database."""
    name = backends.unique_name()
    url = sql_server.create(name)
    engines = []
    try:
        engines = [database.Database(url, pool_size=20, max_overflow=0) for _ in range(2)]
        migration.upgrade(engines[0])
        yield engines
    finally:
        for engine in engines:
            engine.dispose()
        sql_server.drop(name)


def test_parallel_creates_through_two_engines(two_engines):
    conf = nl_conf.new_conf()
    quotas = [quota.QuotaEngine(conf, d) for d in two_engines]
    tiny = Flavor(flavorid="1", name="m1.tiny", vcpus=1, memory_mb=512, root_gb=1)
    project = "p-" + uuid.uuid4().hex[:8]  # its quota_locks row does not exist yet

    def build(count):
        return [Instance(uuid=str(uuid.uuid4()), project_id=project, user_id="u",
                         display_name="vm", flavor=tiny) for _ in range(count)]

    def create(i):
        try:
            return len(quotas[i % 2].create_instances(project, tiny, 1, 1, build))
        except exception.TooManyInstances:
            return 0

    assert sorted(_race(40, create)) == [0] * 30 + [1] * 10
    assert quotas[0].usages(project)["instances"] == 10

    # Key pairs: per user, under the user's lock.
    def import_key(i):
        try:
            quotas[i % 2].create_keypair(project, KeyPair(
                name="k%d" % i, user_id="u", public_key=ED25519, fingerprint="f"))
            return 1
        except exception.KeypairLimitExceeded:
            return 0

    quotas[0].update(project, {"key_pairs": 3})
    assert sum(_race(20, import_key)) == 3
