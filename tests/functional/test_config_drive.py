"""[DEFAULT] force_config_drive: every server gets a config drive, asked for or not, and
the server shows it (config_drive "True"), as Nova's compute host records it after spawn.
Without the option a server gets one only when asked. On the fake driver and on the
libvirt driver (libvirt's test:///default hypervisor), where the drive is a real file."""

import os

import pytest

from novalite.compute import image_cache
from tests.functional.helpers import client_pool, running_cloud
from tests.unit.virt.libvirt_required import require_libvirt, require_qemu_img

LIBVIRT = {"compute_driver": "libvirt", "libvirt.connection_uri": "test:///default"}
CASES = [("fake", False), ("fake", True), ("libvirt", False), ("libvirt", True)]


@pytest.fixture(scope="module", params=CASES, ids=["%s-%s" % (driver, "forced" if force
                                                              else "unforced")
                                                   for driver, force in CASES])
def setup(request, tmp_path_factory):
    """(cloud, demo client, admin client, driver, forced) for each driver and option."""
    driver, force = request.param
    overrides = {"force_config_drive": force}
    if driver == "libvirt":
        require_libvirt()  # skip (fail under CI) without libvirt-python and qemu-img
        require_qemu_img()
        overrides.update(LIBVIRT)
    with running_cloud(tmp_path_factory.mktemp("state"), computes=1, **overrides) as cloud, \
            client_pool(cloud) as get:
        yield cloud, get("demo", "demo"), get("admin", "admin"), driver, force


def _drive_path(cloud, admin, server_id) -> str:
    host = admin.server(server_id)["OS-EXT-SRV-ATTR:host"]
    return os.path.join(image_cache.host_path(cloud.conf, host), server_id, "disk.config")


def _boot_active(demo, name, **extra):
    server_id = demo.boot(name, **extra)["server"]["id"]
    return server_id, demo.wait_for(server_id, "ACTIVE")


def _delete(demo, server_id):
    assert demo.delete("/servers/" + server_id).status_code == 204
    demo.wait_gone(server_id)


def test_server_not_asking_has_a_drive_only_when_forced(setup):
    cloud, demo, admin, driver, forced = setup
    server_id, server = _boot_active(demo, "cd-unasked")
    assert server["config_drive"] == ("True" if forced else "")
    # Listed the same way, and still so for the admin.
    listed = {s["id"]: s for s in demo.get("/servers/detail").json()["servers"]}
    assert listed[server_id]["config_drive"] == server["config_drive"]
    if driver == "libvirt":  # the guest has what the API says
        assert os.path.exists(_drive_path(cloud, admin, server_id)) == forced
    _delete(demo, server_id)


def test_server_asking_has_a_drive_either_way(setup):
    cloud, demo, admin, driver, _forced = setup
    server_id, server = _boot_active(demo, "cd-asked", config_drive=True)
    assert server["config_drive"] == "True"
    if driver == "libvirt":
        assert os.path.exists(_drive_path(cloud, admin, server_id))
    _delete(demo, server_id)
