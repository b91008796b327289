"""The demo image gets real bytes through the store: on a fresh database, and on one
seeded before images had data."""

import hashlib

import pytest

from novalite.db import database, migration
from novalite.db import images as db_images
from novalite.image import demo
from novalite.image.api import DEMO_IMAGE_NAME, ImageAPI
from novalite.image.store import FileStore
from novalite.objects.image import Image


@pytest.fixture
def api(tmp_path):
    d = database.Database(database.default_url(str(tmp_path)))
    migration.upgrade(d)
    yield ImageAPI(d, FileStore(str(tmp_path / "images")))
    d.dispose()


def _check_demo(api):
    image = db_images.get_by_name(api.database, DEMO_IMAGE_NAME)
    disk = demo.qcow2_disk()
    assert image.status == "active" and image.size == len(disk)
    assert image.checksum == hashlib.md5(disk).hexdigest()
    assert image.os_hash_algo == "sha512"
    assert image.os_hash_value == hashlib.sha512(disk).hexdigest()
    assert image.virtual_size == demo.VIRTUAL_SIZE  # read from the qcow2 header
    with api.store.open(image.id) as f:
        assert f.read() == disk
    return image


def test_fresh_database(api):
    api.ensure_demo_image()
    first = _check_demo(api)
    api.ensure_demo_image()  # idempotent
    assert db_images.count(api.database) == 1 and _check_demo(api).id == first.id


def test_demo_image_seeded_without_bytes_gets_them(api):
    db_images.create(api.database, Image(
        id="4f1e2c1a-0000-4000-8000-000000000001", name=DEMO_IMAGE_NAME, status="active",
        visibility="public", size=21430272, disk_format="qcow2", container_format="bare"))
    api.ensure_demo_image()
    assert _check_demo(api).id == "4f1e2c1a-0000-4000-8000-000000000001"


def test_demo_image_uploaded_before_virtual_sizes_gets_one(api):
    api.ensure_demo_image()
    image = db_images.get_by_name(api.database, DEMO_IMAGE_NAME)
    db_images.update(api.database, image.id, {"virtual_size": None})
    api.ensure_demo_image()
    assert _check_demo(api).id == image.id


def test_deleted_demo_image_stays_deleted(api):
    db_images.create(api.database, Image(id="4f1e2c1a-0000-4000-8000-000000000002",
                                         name="other", status="queued"))
    api.ensure_demo_image()
    assert db_images.get_by_name(api.database, DEMO_IMAGE_NAME) is None
