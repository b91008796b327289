"""The libvirt driver through the whole pipeline, over HTTP, on libvirt's built-in test
hypervisor (test:///default: no daemon, no real guest; one in-memory state per process,
which starts with a domain called "test" that is not ours).

What a user relies on: a server boots into a defined, running domain whose disk is a qcow2
overlay of the host's cached image, sized to the flavor, with a config drive when asked;
stop, start, reboot, snapshot and console output act on that domain; delete removes it and
its directory; the hypervisor reports the host's capacity; and a restarted compute service
reconciles the database with the domains it finds.

The driver's own operations the compute manager drives, on the driver itself (two
LibvirtDriver hosts sharing the test hypervisor, each with its instances directory):
rescue and unrescue (which disk the guest has where, what is kept to go back), a resize or
cold migration in its three steps and its revert (the files moved aside and back, the
domain redefined with the new or old flavor, owned by one host at a time), the serial
console's address, and the admin password through the guest agent. (Real guests: the
QEMU tier, tests/guests.)
"""

import base64
import json
import logging
import os
import shutil
import subprocess
import time
import uuid
import xml.etree.ElementTree as ET

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.functional.helpers import assert_fault, client_pool, running_cloud
from tests.unit.virt.libvirt_required import require_libvirt, require_qemu_img

libvirt = require_libvirt()
require_qemu_img()

from novalite import conf as nl_conf  # noqa: E402
from novalite.compute import image_cache  # noqa: E402
from novalite.compute.states import power_state  # noqa: E402
from novalite.objects.flavor import Flavor  # noqa: E402
from novalite.objects.instance import Instance  # noqa: E402
from novalite.virt import driver as virt_driver  # noqa: E402
from novalite.virt.libvirt import config, config_drive  # noqa: E402
from novalite.virt.libvirt.driver import LibvirtDriver  # noqa: E402

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
    # network_data.json: the server's port, its address and the subnet's gateway, static.
    network_data = json.loads(drive["openstack/latest/network_data.json"])
    [[address]] = server["addresses"].values()
    [link] = network_data["links"]
    assert link["ethernet_mac_address"] == address["OS-EXT-IPS-MAC:mac_addr"]
    [network] = network_data["networks"]
    assert (network["type"], network["link"], network["ip_address"]) == (
        "ipv4", link["id"], address["addr"])
    assert network["routes"][0]["network"] == "0.0.0.0"

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


# -- the driver's operations, driver to driver ---------------------------------------------

TINY = Flavor(flavorid="t1", name="t.tiny", vcpus=1, memory_mb=128, root_gb=1)
BIGGER = Flavor(flavorid="t2", name="t.bigger", vcpus=2, memory_mb=192, root_gb=2)
KERNEL, RAMDISK = str(uuid.uuid4()), str(uuid.uuid4())


@pytest.fixture
def hosts(tmp_path):
    """Two LibvirtDriver hosts on test:///default, each with its own instances directory
    (<state_path>/hosts/<name>), as two compute services of one machine."""
    conf = nl_conf.new_conf()
    conf.set_override("state_path", str(tmp_path))
    conf.set_override("connection_uri", URI, group="libvirt")
    conf.set_override("shutdown_timeout", 1, group="libvirt")
    suffix = uuid.uuid4().hex[:6]
    drivers = [LibvirtDriver(conf, "fn-src-" + suffix), LibvirtDriver(conf, "fn-dst-" + suffix)]
    yield drivers
    for d in drivers:  # whatever a failed test left on the shared test hypervisor
        for domain in d.libvirt_host.domains():
            if domain.isActive():
                domain.destroy()
            domain.undefine()
        d.cleanup_host()


def _cached_image(drv, **meta) -> image_cache.ImageInfo:
    """An image in the host's cache, as the compute manager hands it to the driver: a raw
    base file in _base/ (with the kernel and ramdisk of a direct kernel boot beside it)."""
    image_id = str(uuid.uuid4())
    base_dir = os.path.join(drv.instances_path, "_base")
    os.makedirs(base_dir, exist_ok=True)
    for name in (image_id, KERNEL, RAMDISK):
        with open(os.path.join(base_dir, name), "wb") as f:
            f.truncate(1024 * 1024)
    return image_cache.ImageInfo(id=image_id, meta={"disk_format": "raw", **meta},
                                 base_path=os.path.join(base_dir, image_id), disk_path="")


def _instance(drv, flavor=TINY, **extra) -> Instance:
    return Instance(uuid=str(uuid.uuid4()), project_id="p", user_id="u",
                    display_name="fn", flavor=flavor, host=drv.host, kernel_id=KERNEL,
                    ramdisk_id=RAMDISK, **extra)


def _spawn(drv, flavor=TINY, **extra) -> Instance:
    instance = _instance(drv, flavor, **extra)
    drv.spawn(instance, _cached_image(drv, os_command_line="console=ttyS0 quiet"), [])
    return instance


def _xml(drv, instance) -> ET.Element:
    return ET.fromstring(drv.libvirt_host.lookup(instance.uuid).XMLDesc(0))


def _disks(root: ET.Element) -> list[tuple[str, str, str]]:
    return [(os.path.basename(d.find("source").get("file")), d.find("target").get("dev"),
             d.find("target").get("bus")) for d in root.findall("devices/disk")]


def test_rescue_boots_the_rescue_disk_with_the_instance_disk_second(hosts):
    drv, _ = hosts
    instance = _spawn(drv, config_drive="True")
    directory = drv._dir(instance)
    before = drv.libvirt_host.lookup(instance.uuid).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    port = drv.get_serial_console(instance)

    rescue_image = _cached_image(drv)
    drv.rescue(instance, rescue_image, "secret", [])
    root = _xml(drv, instance)
    assert _disks(root) == [("disk.rescue", "vda", "virtio"), ("disk", "vdb", "virtio"),
                            ("disk.config", "vdc", "virtio")]
    assert drv.get_info(instance) == power_state.RUNNING
    # The rescue disk: a fresh overlay over the rescue image, as big as the flavor's disk.
    rescue_disk = _qemu_img_info(os.path.join(directory, "disk.rescue"))
    assert rescue_disk["full-backing-filename"] == rescue_image.base_path
    assert rescue_disk["virtual-size"] == 1024 ** 3
    with open(os.path.join(directory, "unrescue.xml")) as f:
        assert f.read() == before  # the domain to go back to
    assert drv.get_serial_console(instance) == port  # the console proxy's address stays
    assert drv.list_instances().count(instance.uuid) == 1

    drv.unrescue(instance)
    assert _disks(_xml(drv, instance)) == [("disk", "vda", "virtio"),
                                           ("disk.config", "vdb", "virtio")]
    assert drv.get_info(instance) == power_state.RUNNING
    assert not os.path.exists(os.path.join(directory, "disk.rescue"))
    assert not os.path.exists(os.path.join(directory, "unrescue.xml"))
    assert os.path.exists(os.path.join(directory, "disk"))
    assert drv.get_serial_console(instance) == port


def test_stable_rescue_keeps_the_instance_disk_first_and_rescues_a_stopped_guest(hosts):
    drv, _ = hosts
    instance = _spawn(drv)
    drv.power_off(instance)
    assert drv.get_info(instance) == power_state.SHUTDOWN
    image = _cached_image(drv, hw_rescue_device="disk", hw_rescue_bus="scsi")
    drv.rescue(instance, image, "secret", [])
    root = _xml(drv, instance)
    assert _disks(root) == [("disk", "vda", "virtio"), ("disk.rescue", "sda", "scsi")]
    assert root.find("devices/disk[2]/boot").get("order") == "1"  # boots the rescue disk
    assert root.find("os/boot") is None
    assert drv.get_info(instance) == power_state.RUNNING  # rescued guests run
    drv.unrescue(instance)
    assert _disks(_xml(drv, instance)) == [("disk", "vda", "virtio")]
    assert drv.get_info(instance) == power_state.RUNNING


def test_a_rescue_qemu_cannot_do_leaves_the_guest_alone(hosts):
    drv, _ = hosts
    instance = _spawn(drv)
    before = drv.libvirt_host.lookup(instance.uuid).XMLDesc(0)
    with pytest.raises(virt_driver.HypervisorError, match="virtio"):
        drv.rescue(instance, _cached_image(drv, hw_rescue_device="cdrom",
                                           hw_rescue_bus="virtio"), "secret", [])
    assert drv.libvirt_host.lookup(instance.uuid).XMLDesc(0) == before
    assert drv.get_info(instance) == power_state.RUNNING
    left = os.listdir(drv._dir(instance))
    assert "unrescue.xml" not in left and "disk.rescue" not in left
    # A rescue image whose kernel is not in the cache: refused before the guest stops.
    with pytest.raises(virt_driver.HypervisorError, match="not in the host's image cache"):
        drv.rescue(instance, _cached_image(drv, kernel_id=str(uuid.uuid4())), "secret", [])
    assert drv.libvirt_host.lookup(instance.uuid).XMLDesc(0) == before
    assert "unrescue.xml" not in os.listdir(drv._dir(instance))


def test_a_rescue_guest_that_does_not_start_gives_the_instance_its_guest_back(
        hosts, monkeypatch):
    drv, _ = hosts
    instance = _spawn(drv)
    before = drv.libvirt_host.lookup(instance.uuid).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    start = drv._start
    calls = []

    def start_fails_once(domain, inst):
        calls.append(domain.XMLDesc(0))
        if len(calls) == 1:
            raise virt_driver.HypervisorError("Guest did not start")
        start(domain, inst)

    monkeypatch.setattr(drv, "_start", start_fails_once)
    with pytest.raises(virt_driver.HypervisorError, match="did not start"):
        drv.rescue(instance, _cached_image(drv), "secret", [])
    assert "disk.rescue" in calls[0]  # the rescue guest it tried
    domain = drv.libvirt_host.lookup(instance.uuid)
    assert domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before
    assert drv.get_info(instance) == power_state.RUNNING  # it ran before the rescue
    left = os.listdir(drv._dir(instance))
    assert "unrescue.xml" not in left and "disk.rescue" not in left


def test_cold_migration_moves_the_guest_to_the_other_host_with_the_new_flavor(hosts):
    src, dst = hosts
    instance = _spawn(src, config_drive="True")
    source_dir = src._dir(instance)
    dest_dir = os.path.join(dst.instances_path, instance.uuid)

    src.migrate_disk_and_power_off(instance, BIGGER, dest_dir)
    # The source: its files aside, its domain gone (the uuid is the destination's to use).
    assert not os.path.exists(source_dir)
    assert sorted(os.listdir(source_dir + "_resize")) == ["disk", "disk.config"]
    assert src.libvirt_host.lookup_any(instance.uuid) is None
    assert instance.uuid not in src.list_instances()
    # The destination: a standalone copy of the disk (nothing of the source's _base).
    copied = _qemu_img_info(os.path.join(dest_dir, "disk"))
    assert copied["format"] == "qcow2" and "backing-filename" not in copied
    assert copied["virtual-size"] == 1024 ** 3
    assert config_drive.read(os.path.join(dest_dir, "disk.config"))[""] == b"config-2"

    instance.flavor = BIGGER  # the compute manager's finish_resize does this
    image = _cached_image(dst)
    dst.finish_migration(instance, [], image, resize_disk=True, power_on=True)
    domain = dst.libvirt_host.lookup(instance.uuid)
    assert config.owner_host(domain.XMLDesc(0)) == dst.host
    assert domain.maxMemory() == 192 * 1024 and domain.info()[3] == 2
    assert dst.get_info(instance) == power_state.RUNNING
    assert _qemu_img_info(os.path.join(dest_dir, "disk"))["virtual-size"] == 2 * 1024 ** 3
    root = ET.fromstring(domain.XMLDesc(0))
    assert root.find("os/kernel").text == os.path.join(dst.instances_path, "_base", KERNEL)
    assert _disks(root) == [("disk", "vda", "virtio"), ("disk.config", "vdb", "virtio")]
    # One owner at a time: the guest is the destination's, the source does not report it.
    assert instance.uuid in dst.list_instances()
    assert instance.uuid not in src.list_instances()
    assert src.get_info(instance) == power_state.NOSTATE

    instance.host = dst.host
    src.confirm_migration(instance)
    assert not os.path.exists(source_dir + "_resize")
    assert dst.get_info(instance) == power_state.RUNNING  # untouched by the confirm


def test_a_reverted_migration_comes_back_with_the_old_flavor(hosts):
    src, dst = hosts
    instance = _spawn(src)
    original = _qemu_img_info(os.path.join(src._dir(instance), "disk"))
    dest_dir = os.path.join(dst.instances_path, instance.uuid)
    src.migrate_disk_and_power_off(instance, BIGGER, dest_dir)
    instance.flavor = BIGGER
    dst.finish_migration(instance, [], _cached_image(dst), resize_disk=True, power_on=True)

    dst.destroy(instance)  # the manager's revert_resize, on the destination
    assert not os.path.exists(dest_dir) and dst.libvirt_host.lookup_any(instance.uuid) is None
    instance.flavor = TINY
    src.finish_revert_migration(instance, [], power_on=True)
    assert not os.path.exists(src._dir(instance) + "_resize")
    restored = _qemu_img_info(os.path.join(src._dir(instance), "disk"))
    assert restored["full-backing-filename"] == original["full-backing-filename"]
    domain = src.libvirt_host.lookup(instance.uuid)
    assert domain.maxMemory() == 128 * 1024 and domain.info()[3] == 1
    assert src.get_info(instance) == power_state.RUNNING
    assert instance.uuid in src.list_instances() and instance.uuid not in dst.list_instances()


def test_a_same_host_resize_confirmed_and_reverted(hosts):
    drv, _ = hosts
    # Confirmed: the resized guest is the one the host keeps.
    instance = _spawn(drv)
    drv.migrate_disk_and_power_off(instance, BIGGER, drv._dir(instance))
    assert os.path.exists(drv._dir(instance) + "_resize")
    instance.flavor = BIGGER
    drv.finish_migration(instance, [], _cached_image(drv), resize_disk=True, power_on=False)
    domain = drv.libvirt_host.lookup(instance.uuid)
    assert domain.maxMemory() == 192 * 1024
    assert drv.get_info(instance) == power_state.SHUTDOWN  # power_on=False: a stopped one
    drv.confirm_migration(instance)
    assert not os.path.exists(drv._dir(instance) + "_resize")
    assert drv.libvirt_host.lookup(instance.uuid) is not None  # still there: it is the guest
    drv.destroy(instance)

    # Reverted: destroy() takes the new disk, the old one comes back.
    instance = _spawn(drv)
    drv.migrate_disk_and_power_off(instance, BIGGER, drv._dir(instance))
    instance.flavor = BIGGER
    drv.finish_migration(instance, [], _cached_image(drv), resize_disk=True, power_on=True)
    drv.destroy(instance)
    instance.flavor = TINY
    drv.finish_revert_migration(instance, [], power_on=False)
    disk = _qemu_img_info(os.path.join(drv._dir(instance), "disk"))
    assert disk["virtual-size"] == 1024 ** 3 and "full-backing-filename" in disk
    assert drv.libvirt_host.lookup(instance.uuid).maxMemory() == 128 * 1024
    assert drv.get_info(instance) == power_state.SHUTDOWN


def test_a_smaller_root_disk_is_refused_before_anything_changes(hosts):
    src, dst = hosts
    instance = _spawn(src, flavor=BIGGER)  # a 2 GiB disk
    dest_dir = os.path.join(dst.instances_path, instance.uuid)
    with pytest.raises(virt_driver.ResizeError, match="smaller"):
        src.migrate_disk_and_power_off(instance, TINY, dest_dir)
    assert src.get_info(instance) == power_state.RUNNING
    assert os.path.exists(src._dir(instance)) and not os.path.exists(dest_dir)
    assert not os.path.exists(src._dir(instance) + "_resize")
    # The same size is no shrink.
    src.migrate_disk_and_power_off(instance, BIGGER, dest_dir)
    assert os.path.exists(os.path.join(dest_dir, "disk"))


def test_admin_password_needs_the_guest_agent(hosts):
    drv, _ = hosts
    plain = _spawn(drv)
    with pytest.raises(virt_driver.AgentNotEnabled, match="hw_qemu_guest_agent"):
        drv.set_admin_password(plain, "secret")
    assert _xml(drv, plain).find("devices/channel") is None
    # With the image property (system_metadata, as the compute manager keeps it) the
    # domain has the agent's channel, and the test hypervisor takes the password.
    agent = _spawn(drv, system_metadata={"image_hw_qemu_guest_agent": "yes"})
    channel = _xml(drv, agent).find("devices/channel/target")
    assert channel.get("name") == "org.qemu.guest_agent.0"
    drv.set_admin_password(agent, "secret")
    drv.power_off(agent)
    with pytest.raises(virt_driver.InstanceNotRunning):
        drv.set_admin_password(agent, "secret")


def test_consoles_of_running_and_stopped_guests(hosts):
    drv, other = hosts
    instance = _spawn(drv)
    host, port = drv.get_serial_console(instance)
    assert host == "127.0.0.1" and 10000 <= port < 20000
    serial = _xml(drv, instance).find("devices/serial/source")
    assert (serial.get("mode"), serial.get("service")) == ("bind", str(port))
    graphics = _xml(drv, instance).find("devices/graphics")
    assert (graphics.get("type"), graphics.get("listen")) == ("vnc", "127.0.0.1")
    # Every guest has its own port.
    assert other.get_serial_console(_spawn(other))[1] != port
    drv.power_off(instance)
    for get in (drv.get_serial_console, drv.get_vnc_console):
        with pytest.raises(virt_driver.ConsoleTypeUnavailable, match="not running"):
            get(instance)
    with pytest.raises(virt_driver.InstanceNotRunning):
        drv.get_vnc_console(_instance(drv))
