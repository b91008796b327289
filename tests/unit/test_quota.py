"""The quota engine: how many instances fit (Nova's rules and message), limits from the
[quota] defaults and per-project overrides, usage counted from the rows, and checks that
hold when many requests race."""

import concurrent.futures
import uuid

import pytest

from novalite import conf as nl_conf
from novalite import exception, quota
from novalite.db import database, keypairs, migration
from novalite.db import instances as db_instances
from novalite.objects.flavor import Flavor
from novalite.objects.instance import Instance
from novalite.objects.keypair import KeyPair

LIMITS = {"instances": 10, "cores": 20, "ram": 51200}
NONE_USED = {"instances": 0, "cores": 0, "ram": 0}
SMALL = Flavor(flavorid="2", name="small", vcpus=2, memory_mb=2048, root_gb=1)


# -- how many instances fit -----------------------------------------------------------------

@pytest.mark.parametrize("used, vcpus, ram, min_count, max_count, fits", [
    (NONE_USED, 1, 512, 1, 1, 1),
    (NONE_USED, 1, 512, 1, 10, 10),
    ({"instances": 7, "cores": 7, "ram": 0}, 1, 512, 1, 5, 3),  # reduced to what fits
    ({"instances": 7, "cores": 7, "ram": 0}, 1, 512, 3, 5, 3),
    ({"instances": 0, "cores": 16, "ram": 0}, 2, 512, 1, 5, 2),  # cores decide
    ({"instances": 0, "cores": 0, "ram": 50000}, 1, 512, 1, 5, 2),  # RAM decides
    (NONE_USED, 0, 0, 1, 10, 10),  # a flavor of nothing still counts as an instance
])
def test_instances_allowed(used, vcpus, ram, min_count, max_count, fits):
    assert quota.instances_allowed(LIMITS, used, vcpus, ram, min_count, max_count) == fits


def test_unlimited_resources_never_limit():
    limits = {"instances": -1, "cores": -1, "ram": 1024}
    assert quota.instances_allowed(limits, {"instances": 500, "cores": 900, "ram": 0},
                                   64, 512, 1, 50) == 2


@pytest.mark.parametrize("used, vcpus, ram, min_count, max_count, message", [
    ({"instances": 9, "cores": 9, "ram": 4608}, 1, 512, 3, 3,
     "Quota exceeded for instances: Requested 3, but already used 9 of 10 instances"),
    ({"instances": 9, "cores": 9, "ram": 4608}, 1, 512, 2, 4,
     "Quota exceeded for instances: Requested 2-4, but already used 9 of 10 instances"),
    ({"instances": 8, "cores": 19, "ram": 0}, 4, 512, 1, 1,
     "Quota exceeded for cores: Requested 4, but already used 19 of 20 cores"),
    ({"instances": 9, "cores": 18, "ram": 50000}, 2, 2048, 2, 2,
     "Quota exceeded for cores, instances, ram: Requested 4, 2, 4096, but already used "
     "18, 9, 50000 of 20, 10, 51200 cores, instances, ram"),
    ({"instances": 12, "cores": 0, "ram": 0}, 1, 1, 1, 1,  # above a lowered (forced) limit
     "Quota exceeded for instances: Requested 1, but already used 12 of 10 instances"),
])
def test_too_many_instances_says_what_nova_says(used, vcpus, ram, min_count, max_count,
                                                message):
    with pytest.raises(exception.TooManyInstances) as raised:
        quota.instances_allowed(LIMITS, used, vcpus, ram, min_count, max_count)
    assert raised.value.message == message


def test_a_zero_limit_allows_nothing():
    with pytest.raises(exception.TooManyInstances):
        quota.instances_allowed({**LIMITS, "instances": 0}, NONE_USED, 1, 1, 1, 1)


def test_new_limits_may_not_go_below_usage():
    quota.check_limits_above_usage({"instances": 5, "cores": -1, "ram": 0},
                                   {"instances": 5, "cores": 30, "ram": 0})
    with pytest.raises(exception.InvalidQuotaValue) as raised:
        quota.check_limits_above_usage({"instances": 4}, {"instances": 5})
    assert raised.value.message == ("Quota limit 4 for instances must be greater than or "
                                    "equal to already used and reserved 5.")


# -- the engine on a database ---------------------------------------------------------------

@pytest.fixture
def db(tmp_path):
    d = database.Database(database.default_url(str(tmp_path)))
    migration.upgrade(d)
    yield d
    d.dispose()


@pytest.fixture
def engine(db):
    conf = nl_conf.new_conf()
    conf.set_override("key_pairs", 2, group="quota")
    return quota.QuotaEngine(conf, db)


def _builder(project_id, flavor=SMALL, user_id="u"):
    def build(count):
        return [Instance(uuid=str(uuid.uuid4()), project_id=project_id, user_id=user_id,
                         display_name="vm", flavor=flavor) for _ in range(count)]
    return build


def test_defaults_come_from_the_config(engine):
    defaults = engine.defaults()
    assert defaults["instances"] == 10 and defaults["cores"] == 20
    assert defaults["ram"] == 51200 and defaults["metadata_items"] == 128
    assert defaults["key_pairs"] == 2  # the override above
    assert defaults["injected_file_path_bytes"] == 255
    assert defaults["server_groups"] == 10 and defaults["server_group_members"] == 10
    assert defaults["floating_ips"] == -1 and defaults["security_groups"] == -1
    assert set(defaults) == set(quota.RESOURCES)


def test_project_overrides_and_reset(engine):
    engine.update("p1", {"instances": 3, "ram": -1})
    assert engine.limits("p1")["instances"] == 3 and engine.limits("p1")["ram"] == -1
    assert engine.limits("p1")["cores"] == 20
    assert engine.limits("p2")["instances"] == 10  # only that project
    engine.update("p1", {"instances": 4})  # an override changes in place
    assert engine.limits("p1")["instances"] == 4
    engine.reset("p1")
    assert engine.limits("p1") == engine.defaults()


def test_usage_is_counted_from_live_instances(engine, db):
    made = engine.create_instances("p1", SMALL, 3, 3, _builder("p1"))
    engine.create_instances("p1", SMALL, 1, 1, _builder("p1", user_id="other-user"))
    engine.create_instances("p2", SMALL, 1, 1, _builder("p2"))
    db_instances.soft_delete(db, made[0].uuid)
    used = engine.usages("p1")
    assert (used["instances"], used["cores"], used["ram"]) == (3, 6, 6144)
    assert engine.usages("p1", user_id="u")["instances"] == 2
    assert used["key_pairs"] == 0 and used["metadata_items"] == 0


def test_create_instances_inserts_only_what_fits(engine, db):
    engine.update("p1", {"instances": 4})
    assert len(engine.create_instances("p1", SMALL, 1, 3, _builder("p1"))) == 3
    # min 1, max 3 with one slot left: one is created, as Nova does.
    assert len(engine.create_instances("p1", SMALL, 1, 3, _builder("p1"))) == 1
    with pytest.raises(exception.TooManyInstances):
        engine.create_instances("p1", SMALL, 1, 1, _builder("p1"))
    assert engine.usages("p1")["instances"] == 4


def test_limits_cannot_go_below_usage_unless_forced(engine):
    engine.create_instances("p1", SMALL, 2, 2, _builder("p1"))
    with pytest.raises(exception.InvalidQuotaValue):
        engine.update("p1", {"instances": 1, "cores": 100})
    assert engine.limits("p1")["cores"] == 20  # nothing of a refused update is kept
    engine.update("p1", {"instances": 1}, force=True)
    assert engine.limits("p1")["instances"] == 1
    with pytest.raises(exception.TooManyInstances):
        engine.create_instances("p1", SMALL, 1, 1, _builder("p1"))


def test_metadata_items(engine):
    engine.update("p1", {"metadata_items": 2})
    engine.check_metadata("p1", {"a": "1", "b": "2"})
    engine.check_metadata("p1", None)
    with pytest.raises(exception.MetadataLimitExceeded,
                       match="Maximum number of metadata items exceeds 2"):
        engine.check_metadata("p1", {"a": "1", "b": "2", "c": "3"})


def _keypair(name, user_id="u"):
    return KeyPair(name=name, user_id=user_id, public_key="k", fingerprint="f")


def test_key_pairs_count_per_user_across_projects(engine, db):
    engine.create_keypair("p1", _keypair("a"))
    engine.create_keypair("p2", _keypair("b"))  # same user, another project: still counted
    with pytest.raises(exception.KeypairLimitExceeded):
        engine.create_keypair("p1", _keypair("c"))
    engine.create_keypair("p1", _keypair("a", user_id="someone-else"))
    with pytest.raises(exception.KeyPairExists):
        engine.create_keypair("p1", _keypair("a", user_id="someone-else"))
    engine.update("p3", {"key_pairs": -1})
    engine.create_keypair("p3", _keypair("c"))
    assert [k.name for k in keypairs.list_(db, "u")] == ["a", "b", "c"]


def test_parallel_creates_never_pass_the_limit(engine, db):
    def boot(_):
        try:
            return len(engine.create_instances("race", SMALL, 1, 1, _builder("race")))
        except exception.TooManyInstances:
            return 0

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        created = list(pool.map(boot, range(40)))
    # 10 instances, but SMALL has 2 cores and the default is 20 cores: 10 fit exactly.
    assert sum(created) == 10
    assert engine.usages("race")["instances"] == 10
