"""python-glanceclient's Python API (v2) on a keystoneauth session from the clouds.yaml.
glanceclient reads /v2/schemas/image and validates and builds its PATCH bodies from it."""

import hashlib
import io
import os
import uuid

import pytest
import yaml
from glanceclient import Client
from glanceclient import exc as glance_exc
from keystoneauth1 import loading, session

from tests.clients.conftest import IMAGE_NAME


@pytest.fixture(scope="module")
def glance(cloud):
    with open(cloud.clouds_yaml) as f:
        auth = yaml.safe_load(f)["clouds"]["novalite"]["auth"]
    plugin = loading.get_plugin_loader("password").load_from_options(**auth)
    return Client("2", session=session.Session(auth=plugin))


def test_list_finds_the_demo_image(glance):
    assert IMAGE_NAME in [i["name"] for i in glance.images.list()]


def test_create_upload_update_download_delete(glance):
    data = os.urandom(1024 * 1024 + 5)
    image = glance.images.create(name="gc-" + uuid.uuid4().hex[:6], disk_format="raw",
                                 container_format="bare", os_distro="cirros")
    assert image["status"] == "queued"
    glance.images.upload(image["id"], io.BytesIO(data), image_size=len(data))
    shown = glance.images.get(image["id"])
    assert shown["status"] == "active" and shown["size"] == len(data)
    assert shown["os_hash_value"] == hashlib.sha512(data).hexdigest()
    assert b"".join(glance.images.data(image["id"])) == data
    updated = glance.images.update(image["id"], flavour="vanilla", min_ram=64)
    assert updated["flavour"] == "vanilla" and updated["min_ram"] == 64
    updated = glance.images.update(image["id"], remove_props=["flavour"])
    assert "flavour" not in updated
    glance.image_tags.update(image["id"], "t1")
    assert glance.images.get(image["id"])["tags"] == ["t1"]
    glance.image_tags.delete(image["id"], "t1")
    glance.images.delete(image["id"])
    with pytest.raises(glance_exc.HTTPNotFound):
        glance.images.get(image["id"])
