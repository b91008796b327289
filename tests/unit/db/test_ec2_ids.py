"""EC2 id tables: one id per uuid forever, looked up and created in batches."""

import concurrent.futures
import uuid

import pytest
from sqlalchemy import event

from novalite.db import database, ec2_ids, migration


@pytest.fixture
def db(tmp_path):
    d = database.Database(database.default_url(str(tmp_path)))
    migration.upgrade(d)
    yield d
    d.dispose()


def _count_statements(db):
    statements = []
    for engine in {db.reader_engine, db.writer_engine}:
        event.listen(engine, "before_cursor_execute",
                     lambda *a, **k: statements.append(a[2]))
    return statements


def test_ids_are_stable_and_distinct_per_kind(db):
    mapper = ec2_ids.EC2IdMapper(db)
    uuids = [str(uuid.uuid4()) for _ in range(3)]
    first = mapper.ids_for("instance", uuids)
    assert sorted(first.values()) == [1, 2, 3]
    assert mapper.ids_for("instance", reversed(uuids)) == first
    assert mapper.ids_for("image", uuids[:1]) == {uuids[0]: 1}  # its own table
    assert mapper.uuids_for("instance", [2, 99]) == {2: uuids[1]}
    assert mapper.ids_for("instance", []) == {} and mapper.uuids_for("image", []) == {}


def test_a_thousand_uuids_take_a_handful_of_statements(db):
    mapper = ec2_ids.EC2IdMapper(db)
    uuids = [str(uuid.uuid4()) for _ in range(1000)]
    statements = _count_statements(db)
    assert len(set(mapper.ids_for("instance", uuids).values())) == 1000
    assert len([s for s in statements if s.lstrip().upper().startswith(("SELECT",
                                                                         "INSERT"))]) <= 5
    statements.clear()
    mapper.ids_for("instance", uuids)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2


def test_concurrent_first_lookups_agree(db):
    mapper = ec2_ids.EC2IdMapper(db)
    uuids = [str(uuid.uuid4()) for _ in range(50)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: mapper.ids_for("instance", uuids), range(8)))
    assert all(r == results[0] for r in results)
    assert len(set(results[0].values())) == 50
