"""Kernel and ramdisk images at boot, as Nova's _handle_kernel_and_ramdisk: the image's
kernel_id/ramdisk_id properties (or EC2's explicit KernelId/RamdiskId) must name images the
caller can see, checked when the server is created: a missing one is a 400 naming it, with
no server written and no quota used; a good pair is what the server boots with."""

import httpx
import pytest

from novalite import exception
from novalite.context import RequestContext
from tests.functional.helpers import assert_fault

ADMIN = {"X-Auth-Token": "admin:admin"}
MISSING = "00000000-0000-4000-8000-00000000beef"


def _image(glance, name, container, disk, token=ADMIN, visibility="public", **props):
    resp = glance.post("/v2/images", headers=token, json={
        "name": name, "container_format": container, "disk_format": disk,
        "visibility": visibility, **props})
    assert resp.status_code == 201, resp.text
    image = resp.json()
    resp = glance.put("/v2/images/%s/file" % image["id"], content=b"\0" * 512,
                      headers={**token, "Content-Type": "application/octet-stream"})
    assert resp.status_code == 204, resp.text
    return image


@pytest.fixture(scope="module")
def glance(cloud):
    with httpx.Client(base_url=cloud.image_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def boot_pair(glance):
    kernel = _image(glance, "kr-vmlinuz", "aki", "aki")
    ramdisk = _image(glance, "kr-initrd", "ari", "ari")
    return kernel["id"], ramdisk["id"]


def _machine(glance, name, **props):
    return _image(glance, name, "ami", "ami", **props)["id"]


def _boot(client, image_id, name="kr"):
    return client.post("/servers", json={"server": {
        "name": name, "imageRef": image_id, "flavorRef": "1", "networks": "auto"}})


def _instances_used(client) -> int:
    return client.get("/limits").json()["limits"]["absolute"]["totalInstancesUsed"]


def _assert_refused(client, image_id, missing_id):
    """A 400 naming the missing image; nothing written, no quota used."""
    servers_before = client.get("/servers").json()["servers"]
    used_before = _instances_used(client)
    assert_fault(_boot(client, image_id), 400, "badRequest", "Can not find requested image",
                 missing_id)
    assert client.get("/servers").json()["servers"] == servers_before
    assert _instances_used(client) == used_before


def test_unknown_kernel_is_bad_request_and_creates_nothing(glance, make_client, boot_pair):
    client = make_client("kr-user", "kr-unknown")
    machine = _machine(glance, "kr-unknown-kernel", kernel_id=MISSING,
                       ramdisk_id=boot_pair[1])
    _assert_refused(client, machine, MISSING)


def test_deleted_kernel_is_bad_request(glance, make_client, boot_pair):
    client = make_client("kr-user", "kr-deleted")
    kernel = _image(glance, "kr-doomed-kernel", "aki", "aki")["id"]
    machine = _machine(glance, "kr-deleted-kernel", kernel_id=kernel,
                       ramdisk_id=boot_pair[1])
    assert glance.delete("/v2/images/" + kernel, headers=ADMIN).status_code == 204
    _assert_refused(client, machine, kernel)


def test_unknown_ramdisk_is_bad_request(glance, make_client, boot_pair):
    client = make_client("kr-user", "kr-ramdisk")
    machine = _machine(glance, "kr-unknown-ramdisk", kernel_id=boot_pair[0],
                       ramdisk_id=MISSING)
    _assert_refused(client, machine, MISSING)


def test_kernel_the_caller_cannot_see_is_bad_request(glance, make_client, admin, boot_pair):
    # Another project's private kernel: invisible to the caller, as a missing one.
    hidden = _image(glance, "kr-private-kernel", "aki", "aki",
                    token={"X-Auth-Token": "alice:kr-owner"}, visibility="private")["id"]
    machine = _machine(glance, "kr-hidden-kernel", kernel_id=hidden, ramdisk_id=boot_pair[1])
    _assert_refused(make_client("kr-user", "kr-hidden"), machine, hidden)
    # An admin sees every image: the same boot works for them.
    resp = _boot(admin, machine, name="kr-admin")
    assert resp.status_code == 202, resp.text
    server_id = resp.json()["server"]["id"]
    admin.wait_for(server_id, "ACTIVE")
    assert admin.server(server_id)["OS-EXT-SRV-ATTR:kernel_id"] == hidden
    assert admin.delete("/servers/" + server_id).status_code == 204
    admin.wait_gone(server_id)


def test_valid_kernel_and_ramdisk_are_the_servers(glance, make_client, admin, boot_pair):
    client = make_client("kr-user", "kr-valid")
    kernel, ramdisk = boot_pair
    machine = _machine(glance, "kr-good", kernel_id=kernel, ramdisk_id=ramdisk)
    resp = _boot(client, machine)
    assert resp.status_code == 202, resp.text
    server_id = resp.json()["server"]["id"]
    client.wait_for(server_id, "ACTIVE")
    server = admin.server(server_id)  # microversion 2.96: the 2.3 attributes are there
    assert server["OS-EXT-SRV-ATTR:kernel_id"] == kernel
    assert server["OS-EXT-SRV-ATTR:ramdisk_id"] == ramdisk
    assert client.delete("/servers/" + server_id).status_code == 204
    client.wait_gone(server_id)


def test_nokernel_boots_without_kernel_or_ramdisk(glance, make_client, admin, boot_pair):
    # Nova's marker: kernel_id 'nokernel' means a plain disk boot, whatever ramdisk_id says.
    client = make_client("kr-user", "kr-nokernel")
    machine = _machine(glance, "kr-nokernel", kernel_id="nokernel", ramdisk_id=MISSING)
    resp = _boot(client, machine)
    assert resp.status_code == 202, resp.text
    server_id = resp.json()["server"]["id"]
    client.wait_for(server_id, "ACTIVE")
    server = admin.server(server_id)
    assert server["OS-EXT-SRV-ATTR:kernel_id"] == ""
    assert server["OS-EXT-SRV-ATTR:ramdisk_id"] == ""
    assert client.delete("/servers/" + server_id).status_code == 204
    client.wait_gone(server_id)


def test_explicit_kernel_and_ramdisk_are_checked_too(cloud, make_client, demo, boot_pair):
    # EC2's RunInstances passes KernelId/RamdiskId to the compute API itself; they win over
    # the image's properties and get the same check.
    client = make_client("kr-user", "kr-explicit")
    ctxt = RequestContext(user_id="kr-user", project_id="kr-explicit",
                          roles=["member", "reader"])
    kwargs = {"name": "kr-explicit", "flavor_id": "1", "image_ref": demo.image_id()}
    for explicit in ({"kernel_id": MISSING}, {"kernel_id": boot_pair[0],
                                              "ramdisk_id": MISSING}):
        with pytest.raises(exception.ImageNotFound) as excinfo:
            cloud.compute_api.create(ctxt, **kwargs, **explicit)
        assert MISSING in str(excinfo.value)
    assert client.get("/servers").json()["servers"] == []
    (instance,), _ = cloud.compute_api.create(ctxt, **kwargs, kernel_id=boot_pair[0],
                                              ramdisk_id=boot_pair[1])
    client.wait_for(instance.uuid, "ACTIVE")
    assert (instance.kernel_id, instance.ramdisk_id) == boot_pair
    assert client.delete("/servers/" + instance.uuid).status_code == 204
    client.wait_gone(instance.uuid)
