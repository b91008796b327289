"""The libvirt driver through the whole pipeline, over HTTP, on libvirt's built-in test
hypervisor (test:///default: no daemon, no real guest; one in-memory state per process,
which starts with a domain called "test" that is not ours).

What a user relies on: a server boots into a defined, running domain whose disk is a qcow2
overlay of the host's cached image, sized to the flavor, with a config drive when asked;
stop, start, reboot, snapshot and console output act on that domain; delete removes it and
its directory; the hypervisor reports the host's capacity; and a restarted compute service
reconciles the database with the domains it finds. (Real guests: the lead's QEMU tier.)
"""

import base64
import json
import logging
import os
import shutil
import subprocess
import time
import uuid

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.functional.helpers import assert_fault, client_pool, running_cloud
from tests.unit.virt.libvirt_required import require_libvirt, require_qemu_img

libvirt = require_libvirt()
require_qemu_img()

from novalite.compute import image_cache  # noqa: E402
from novalite.virt.libvirt import config, config_drive  # noqa: E402

URI = "test:///default"
LIBVIRT = {"compute_driver": "libvirt", "libvirt.connection_uri": URI,
           "libvirt.wait_soft_reboot_seconds": 5, "libvirt.shutdown_timeout": 5}


@pytest.fixture(scope="module")
def conn():
    c = libvirt.open(URI)
    yield c
    c.close()


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with running_cloud(tmp_path_factory.mktemp("state"), **LIBVIRT) as aio:
        yield aio


@pytest.fixture(scope="module")
def clients(cloud):
    with client_pool(cloud) as get:
        yield get("demo", "demo"), get("admin", "admin")


def _domain(conn, server_id):
    try:
        return conn.lookupByUUIDString(server_id)
    except libvirt.libvirtError:
        return None


def _state(conn, server_id) -> int:
    return _domain(conn, server_id).state()[0]


def _action(client, server_id, body, expect=202):
    resp = client.post("/servers/%s/action" % server_id, json=body)
    assert resp.status_code == expect, resp.text
    return resp


def _settle(client, server_id, status):
    """Wait for the status with no task in progress."""
    deadline = time.monotonic() + 30
    while True:
        server = client.wait_for(server_id, status)
        if server["OS-EXT-STS:task_state"] is None:
            return server
        assert time.monotonic() < deadline, server
        time.sleep(0.05)


def _instance_dir(cloud, admin, server_id) -> str:
    host = admin.server(server_id)["OS-EXT-SRV-ATTR:host"]
    return os.path.join(image_cache.host_path(cloud.conf, host), server_id)


def _qemu_img_info(path: str) -> dict:
    out = subprocess.run(["qemu-img", "info", "-U", "--output=json", path], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def test_a_server_lives_and_dies_as_a_libvirt_domain(cloud, clients, conn):
    demo, admin = clients
    public_key = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    resp = demo.post("/os-keypairs", json={"keypair": {"name": "lv-key",
                                                       "public_key": public_key}})
    assert resp.status_code in (200, 201), resp.text
    user_data = base64.b64encode(b"#!/bin/sh\necho hello\n").decode()
    server_id = demo.boot("lv-one", key_name="lv-key", config_drive=True,
                          user_data=user_data)["server"]["id"]
    server = _settle(demo, server_id, "ACTIVE")
    assert server["OS-EXT-STS:power_state"] == 1
    host = admin.server(server_id)["OS-EXT-SRV-ATTR:host"]
    directory = _instance_dir(cloud, admin, server_id)

    # The domain: named after the instance, running, owned by its host, sized by the flavor.
    domain = _domain(conn, server_id)
    assert domain.name() == "instance-" + server_id
    assert domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING
    xml = domain.XMLDesc(0)
    assert config.owner_host(xml) == host
    assert "<domain type='qemu'" in xml or '<domain type="qemu"' in xml
    assert domain.info()[1] == 512 * 1024 and domain.info()[3] == 1  # m1.tiny
    assert os.path.join(directory, "console.log") in xml

    # The disk: a qcow2 overlay of the host's cached base image, as big as the flavor's.
    disk = _qemu_img_info(os.path.join(directory, "disk"))
    assert disk["format"] == "qcow2"
    assert disk["virtual-size"] == 1024 ** 3
    base = os.path.join(image_cache.host_path(cloud.conf, host), "_base", demo.image_id())
    assert disk["full-backing-filename"] == base

    # The config drive: OpenStack metadata and the user data, labelled config-2.
    drive = config_drive.read(os.path.join(directory, "disk.config"))
    assert drive[""] == b"config-2"
    meta = json.loads(drive["openstack/latest/meta_data.json"])
    assert meta["uuid"] == server_id and meta["name"] == "lv-one"
    assert meta["hostname"] == "lv-one" and meta["launch_index"] == 0
    assert meta["project_id"] == "demo" and meta["availability_zone"] == "nova"
    assert meta["public_keys"] == {"lv-key": public_key}
    assert drive["openstack/latest/user_data"] == b"#!/bin/sh\necho hello\n"

    # Stop and start.
    _action(demo, server_id, {"os-stop": None})
    assert _settle(demo, server_id, "SHUTOFF")["OS-EXT-STS:power_state"] == 4
    assert _state(conn, server_id) == libvirt.VIR_DOMAIN_SHUTOFF
    _action(demo, server_id, {"os-start": None})
    assert _settle(demo, server_id, "ACTIVE")["OS-EXT-STS:power_state"] == 1
    assert _state(conn, server_id) == libvirt.VIR_DOMAIN_RUNNING

    # Reboots: the domain runs again afterwards.
    for kind in ("SOFT", "HARD"):
        _action(demo, server_id, {"reboot": {"type": kind}})
        assert _settle(demo, server_id, "ACTIVE")["OS-EXT-STS:power_state"] == 1
        assert _state(conn, server_id) == libvirt.VIR_DOMAIN_RUNNING

    # Console output: the serial log file's tail (the test hypervisor writes none, so the
    # test does what QEMU would).
    resp = _action(demo, server_id, {"os-getConsoleOutput": {}}, expect=200)
    assert resp.json() == {"output": ""}
    with open(os.path.join(directory, "console.log"), "w") as log:
        log.write("SeaBIOS\nbooting\nlogin: ")
    resp = _action(demo, server_id, {"os-getConsoleOutput": {"length": 2}}, expect=200)
    assert resp.json() == {"output": "booting\nlogin: "}

    # Delete: the domain and the instance's directory are gone; the base image stays.
    assert demo.delete("/servers/" + server_id).status_code == 204
    demo.wait_gone(server_id)
    assert _domain(conn, server_id) is None
    assert not os.path.exists(directory)
    assert os.path.exists(base)


def test_snapshot_is_a_flat_qcow2_of_the_disk(cloud, clients, conn):
    demo, admin = clients
    server_id = demo.boot("lv-snap")["server"]["id"]
    _settle(demo, server_id, "ACTIVE")
    resp = _action(demo, server_id, {"createImage": {"name": "lv-snapshot"}})
    image_id = resp.json()["image_id"]
    _settle(demo, server_id, "ACTIVE")
    assert _state(conn, server_id) == libvirt.VIR_DOMAIN_RUNNING  # resumed
    image = demo.get("/images/" + image_id,
                     headers={"OpenStack-API-Version": "compute 2.1"}).json()["image"]
    assert image["status"] == "ACTIVE"
    data = httpx.get(cloud.image_url + "/v2/images/%s/file" % image_id,
                     headers={"X-Auth-Token": "demo:demo"}, timeout=30)
    assert data.status_code == 200
    assert data.content.startswith(b"QFI\xfb")  # qcow2, with no backing file:
    snap = cloud.conf.state_path + "/snap.qcow2"
    with open(snap, "wb") as f:
        f.write(data.content)
    info = _qemu_img_info(snap)
    assert "backing-filename" not in info and info["virtual-size"] == 1024 ** 3
    assert demo.delete("/servers/" + server_id).status_code == 204
    demo.wait_gone(server_id)


def test_hypervisor_reports_the_hosts_capacity(cloud, clients, conn):
    _, admin = clients
    hypervisors = admin.get("/os-hypervisors/detail",
                            headers={"OpenStack-API-Version": "compute 2.1"}).json()
    hypervisors = hypervisors["hypervisors"]
    assert len(hypervisors) == 2
    _model, memory_mb, cpus = conn.getInfo()[:3]
    for hypervisor in hypervisors:
        assert hypervisor["hypervisor_type"] == "QEMU"
        assert hypervisor["hypervisor_version"] == conn.getVersion()
        assert hypervisor["vcpus"] == cpus
        assert hypervisor["memory_mb"] == memory_mb
        path = image_cache.host_path(cloud.conf, hypervisor["service"]["host"])
        assert hypervisor["local_gb"] == shutil.disk_usage(path).total // 1024 ** 3


def test_console_of_a_vanished_domain_is_not_found(cloud, clients, conn):
    demo, _ = clients
    server_id = demo.boot("lv-gone")["server"]["id"]
    _settle(demo, server_id, "ACTIVE")
    domain = _domain(conn, server_id)
    domain.destroy()
    domain.undefine()
    resp = _action(demo, server_id, {"os-getConsoleOutput": {}}, expect=404)
    assert_fault(resp, 404, "itemNotFound", "console is not available")
    assert demo.delete("/servers/" + server_id).status_code == 204
    demo.wait_gone(server_id)


def _foreign_domain(conn, host: str) -> str:
    """A domain named like ours, on our host, that no database row knows."""
    stray = str(uuid.uuid4())
    guest = config.GuestConfig(name="instance-" + stray, uuid=stray, memory_mb=64, vcpus=1,
                               owner_host=host)
    conn.defineXML(guest.to_xml())
    return stray


def test_restart_reconciles_the_database_with_libvirt(tmp_path, conn, caplog):
    with running_cloud(tmp_path, computes=1, **LIBVIRT) as first, \
            client_pool(first) as get:
        demo = get("demo", "demo")
        ids = {name: demo.boot(name)["server"]["id"] for name in ("gone", "off", "fine")}
        for server_id in ids.values():
            _settle(demo, server_id, "ACTIVE")

    # While the compute service is down: a domain is removed, another shut down, and a
    # domain no database row knows appears on this host.
    gone = _domain(conn, ids["gone"])
    gone.destroy()
    gone.undefine()
    _domain(conn, ids["off"]).destroy()
    stray = _foreign_domain(conn, "compute1")
    try:
        caplog.set_level(logging.WARNING, logger="novalite.compute.manager")
        with running_cloud(tmp_path, computes=1, **LIBVIRT) as second, \
                client_pool(second) as get:
            demo = get("demo", "demo")
            server = demo.server(ids["gone"])
            assert server["status"] == "ERROR"
            assert server["OS-EXT-STS:power_state"] == 0
            assert server["fault"]["message"] == "domain vanished from the hypervisor"
            server = demo.server(ids["off"])
            assert server["status"] == "SHUTOFF"
            assert server["OS-EXT-STS:power_state"] == 4
            server = demo.server(ids["fine"])
            assert server["status"] == "ACTIVE" and server["OS-EXT-STS:power_state"] == 1
            # The stray domain is reported by name, and left alone.
            warnings = [r.getMessage() for r in caplog.records
                        if r.levelno == logging.WARNING]
            assert any(stray in w and "does not know" in w for w in warnings), warnings
            assert _domain(conn, stray) is not None
            assert not any("test" == w.rsplit(" ", 1)[-1] for w in warnings)

            # A running host's periodic sync catches a guest that shut down by itself.
            _domain(conn, ids["fine"]).destroy()
            (compute,) = [s for s in second.services if s.binary == "novalite-compute"]
            compute.manager.sync_power_states()
            assert demo.server(ids["fine"])["status"] == "SHUTOFF"

            # ERROR and SHUTOFF servers can still be deleted, domains and all.
            for server_id in ids.values():
                assert demo.delete("/servers/" + server_id).status_code == 204
            for server_id in ids.values():
                demo.wait_gone(server_id)
                assert _domain(conn, server_id) is None
    finally:
        stray_domain = _domain(conn, stray)
        if stray_domain is not None:
            stray_domain.undefine()
