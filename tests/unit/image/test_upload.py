"""Uploads nobody finishes: the sweep puts their images back to queued and removes their
files, without touching live uploads, and an upload given up on cannot finish."""

import datetime
import os

import pytest

from novalite import context as nl_context
from novalite import exception
from novalite.db import database, migration
from novalite.db import images as db_images
from novalite.db.models import images
from novalite.image.api import ImageAPI
from novalite.image.store import FileStore

ADMIN = nl_context.get_admin_context()
LONG_AGO = datetime.datetime(2020, 1, 1)


@pytest.fixture
def api(tmp_path):
    d = database.Database(database.default_url(str(tmp_path)))
    migration.upgrade(d)
    yield ImageAPI(d, FileStore(str(tmp_path / "images")))
    d.dispose()


def _begin(api, name="img", heartbeat=5.0):
    image = api.create(ADMIN, {"name": name, "disk_format": "raw",
                               "container_format": "bare"})
    return api.begin_upload(ADMIN, image.id, heartbeat)


def _age(api, upload):
    """As if the upload's last heartbeat and write were long ago."""
    with api.database.writer() as conn:
        conn.execute(images.update().where(images.c.id == upload.image_id)
                     .values(updated_at=LONG_AGO))
    os.utime(upload.staged.temp_path, (0, 0))


def _status(api, image_id):
    return api.get(ADMIN, image_id).status


def test_sweep_resets_only_uploads_without_a_heartbeat(api):
    dead, live = _begin(api, "dead"), _begin(api, "live")
    dead.write(b"abc")
    live.write(b"def")
    _age(api, dead)
    assert api.sweep_stale_uploads(300) == [dead.image_id]
    assert _status(api, dead.image_id) == "queued"
    assert not os.path.exists(dead.staged.temp_path)
    assert _status(api, live.image_id) == "saving"
    assert os.path.exists(live.staged.temp_path)
    assert api.sweep_stale_uploads(300) == []  # a second sweeper finds nothing to do
    live.finish()
    assert _status(api, live.image_id) == "active"


def test_an_upload_given_up_on_cannot_finish_nor_disturb_the_next(api):
    old = _begin(api, heartbeat=0)  # a heartbeat at every write
    old.write(b"old")
    _age(api, old)
    api.sweep_stale_uploads(300)
    new = api.begin_upload(ADMIN, old.image_id)  # another client starts over
    new.write(b"new data")
    with pytest.raises(exception.Conflict):
        old.write(b"more")
    old.abort()  # as the API does after an error: the new upload's `saving` stays
    assert _status(api, old.image_id) == "saving"
    with pytest.raises(exception.Conflict):
        old.finish()
    new.finish()
    image = api.get(ADMIN, new.image_id)
    assert image.status == "active" and image.size == len(b"new data")
    with api.store.open(image.id) as f:
        assert f.read() == b"new data"


def test_sweep_removes_orphaned_part_files(api):
    # An upload whose image was reset (or deleted) by another process; its process died.
    orphan = api.store.stage("4f1e2c1a-0000-4000-8000-00000000000a")
    orphan.write(b"x")
    orphan._file.close()
    os.utime(orphan.temp_path, (0, 0))
    fresh = _begin(api)
    fresh.write(b"y")
    api.sweep_stale_uploads(300)
    assert not os.path.exists(orphan.temp_path)
    assert os.path.exists(fresh.staged.temp_path)


def test_virtual_size_and_hidden_are_stored(api):
    upload = _begin(api)
    upload.write(b"r" * 10)
    upload.finish()
    image = api.get(ADMIN, upload.image_id)
    assert (image.virtual_size, image.os_hidden) == (10, False)
    api.update(ADMIN, image.id, [("replace", "os_hidden", True)])
    assert api.get(ADMIN, image.id).os_hidden is True
    assert image.id not in [i.id for i in api.list(ADMIN)]
    assert [i.id for i in api.list(ADMIN, {"os_hidden": True})] == [image.id]
    # The compute host's backup rotation reads the table directly: it sees every image.
    assert image.id in [i.id for i in db_images.list_(api.database)]
