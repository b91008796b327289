"""openstacksdk (`openstack.connect(cloud=...)`) against `novalite serve`."""

import uuid

from tests.clients.conftest import IMAGE_NAME


def test_flavors_and_images(conn):
    flavors = {f.name: f for f in conn.compute.flavors()}
    assert flavors["m1.small"].ram == 2048 and flavors["m1.small"].vcpus == 1
    assert conn.image.find_image(IMAGE_NAME) is not None


def test_create_wait_list_get_delete(conn):
    image = conn.image.find_image(IMAGE_NAME)
    flavor = conn.compute.find_flavor("m1.tiny")
    name = "sdk-" + uuid.uuid4().hex[:6]
    server = conn.compute.create_server(name=name, image_id=image.id, flavor_id=flavor.id,
                                        networks="auto")
    server = conn.compute.wait_for_server(server, interval=0.5, wait=60)
    assert server.status == "ACTIVE"
    assert server.addresses["private"][0]["OS-EXT-IPS:type"] == "fixed"
    assert name in [s.name for s in conn.compute.servers()]
    assert conn.compute.get_server(server.id).name == name
    conn.compute.delete_server(server)
    conn.compute.wait_for_delete(server, interval=0.5, wait=60)


def test_cloud_layer_create_server_waits_for_an_address(conn):
    # The cloud layer (what Ansible uses) deletes an ACTIVE server without an address.
    server = conn.create_server("cloud-" + uuid.uuid4().hex[:6], image=IMAGE_NAME,
                                flavor="m1.tiny", wait=True, timeout=60)
    assert server.status == "ACTIVE"
    assert conn.delete_server(server.id, wait=True, timeout=60)


def test_paging_with_limit(conn):
    names = ["page-%d-%s" % (i, uuid.uuid4().hex[:4]) for i in range(3)]
    image = conn.image.find_image(IMAGE_NAME)
    flavor = conn.compute.find_flavor("m1.tiny")
    created = [conn.compute.create_server(name=n, image_id=image.id, flavor_id=flavor.id,
                                          networks="none") for n in names]
    listed = [s.id for s in conn.compute.servers(limit=2)]
    assert {s.id for s in created} <= set(listed)
    assert len(listed) == len(set(listed))
    for server in created:
        conn.compute.delete_server(server)


def test_keypairs_and_limits(conn):
    name = "sdk-key-" + uuid.uuid4().hex[:6]
    keypair = conn.compute.create_keypair(name=name)
    assert keypair.private_key and keypair.public_key.startswith(("ssh-", "ecdsa-"))
    assert name in [k.name for k in conn.compute.keypairs()]
    conn.compute.delete_keypair(keypair)
    limits = conn.compute.get_limits()
    assert limits.absolute.instances >= 1
