"""python-novaclient's Python API on a keystoneauth session from the clouds.yaml."""

import time
import uuid

import pytest
import yaml
from keystoneauth1 import loading, session
from novaclient import client as nova_client


@pytest.fixture(scope="module")
def nova(cloud):
    with open(cloud.clouds_yaml) as f:
        auth = yaml.safe_load(f)["clouds"]["novalite"]["auth"]
    plugin = loading.get_plugin_loader("password").load_from_options(**auth)
    sess = session.Session(auth=plugin)
    return nova_client.Client("2.1", session=sess)


def test_flavors(nova):
    assert "m1.tiny" in [f.name for f in nova.flavors.list()]


def test_servers(nova, cloud):
    image_id = cloud.openstack("image", "list", "-f", "json")[0]["ID"]
    flavor = nova.flavors.find(name="m1.tiny")
    name = "nova-" + uuid.uuid4().hex[:6]
    server = nova.servers.create(name, image_id, flavor)
    for _ in range(100):
        server = nova.servers.get(server.id)
        if server.status != "BUILD":
            break
        time.sleep(0.2)
    assert server.status == "ACTIVE"
    assert name in [s.name for s in nova.servers.list()]
    nova.servers.delete(server)


def test_keypairs(nova):
    name = "nova-key-" + uuid.uuid4().hex[:6]
    keypair = nova.keypairs.create(name)
    assert keypair.private_key
    assert name in [k.name for k in nova.keypairs.list()]
    nova.keypairs.delete(name)
