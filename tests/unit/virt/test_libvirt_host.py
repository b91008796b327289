"""Power states from libvirt's, and which domains of a shared connection are a host's
(on libvirt's test hypervisor, test:///default, whose one "test" domain is nobody's)."""

import uuid

import pytest

from tests.unit.virt.libvirt_required import require_libvirt

libvirt = require_libvirt()

from novalite.compute.states import power_state  # noqa: E402
from novalite.virt.driver import HypervisorError  # noqa: E402
from novalite.virt.libvirt import config, host  # noqa: E402


@pytest.mark.parametrize("libvirt_state, expected", [
    (libvirt.VIR_DOMAIN_NOSTATE, power_state.NOSTATE),
    (libvirt.VIR_DOMAIN_RUNNING, power_state.RUNNING),
    (libvirt.VIR_DOMAIN_BLOCKED, power_state.RUNNING),
    (libvirt.VIR_DOMAIN_PAUSED, power_state.PAUSED),
    (libvirt.VIR_DOMAIN_SHUTDOWN, power_state.SHUTDOWN),
    (libvirt.VIR_DOMAIN_SHUTOFF, power_state.SHUTDOWN),
    (libvirt.VIR_DOMAIN_CRASHED, power_state.CRASHED),
    (libvirt.VIR_DOMAIN_PMSUSPENDED, power_state.SUSPENDED),
    (99, power_state.NOSTATE),
])
def test_power_state_mapping(libvirt_state, expected):
    assert host.to_power_state(libvirt_state) == expected


def _define(conn, owner) -> str:
    instance_uuid = str(uuid.uuid4())
    conn.defineXML(config.GuestConfig(name=host.domain_name(instance_uuid),
                                      uuid=instance_uuid, memory_mb=64, vcpus=1,
                                      owner_host=owner).to_xml())
    return instance_uuid


def test_a_host_sees_only_its_own_domains(tmp_path):
    mine, theirs = host.Host("test:///default", "unit-a"), host.Host("test:///default",
                                                                       "unit-b")
    conn = mine.connection()
    a, b = _define(conn, "unit-a"), _define(conn, "unit-b")
    try:
        assert [d.UUIDString() for d in mine.domains()] == [a]
        assert [d.UUIDString() for d in theirs.domains()] == [b]
        assert mine.lookup(a) is not None and mine.lookup(b) is None
        assert mine.lookup(str(uuid.uuid4())) is None
        domain = mine.lookup(a)
        assert mine.state(domain) == power_state.SHUTDOWN  # defined, not started
        domain.create()
        assert mine.state(domain) == power_state.RUNNING
        domain.destroy()
        assert "test" in [d.name() for d in conn.listAllDomains()]  # nobody's, untouched
    finally:
        for u in (a, b):
            conn.lookupByUUIDString(u).undefine()
        mine.close()
        theirs.close()


def test_resources_come_from_libvirt_and_the_instances_disk(tmp_path):
    h = host.Host("test:///default", "unit-r")
    try:
        resources = h.resources(str(tmp_path))
        _model, memory_mb, cpus = h.connection().getInfo()[:3]
        assert resources["vcpus"] == cpus and resources["memory_mb"] == memory_mb
        assert resources["hypervisor_type"] == "QEMU"
        assert resources["hypervisor_version"] == h.connection().getVersion()
        assert resources["hypervisor_hostname"] == "unit-r"
        assert resources["local_gb"] > 0
    finally:
        h.close()


def test_an_unreachable_hypervisor_is_a_clear_error():
    with pytest.raises(HypervisorError, match="Cannot connect to libvirt"):
        host.Host("test:///nonexistent/file.xml", "x").connection()


def test_lookup_any_finds_another_hosts_domain():
    mine = host.Host("test:///default", "unit-la")
    conn = mine.connection()
    theirs = _define(conn, "unit-lb")
    try:
        assert mine.lookup(theirs) is None  # not this host's guest...
        found = mine.lookup_any(theirs)  # ...but the uuid is taken on the connection
        assert found is not None and host.owner(found) == "unit-lb"
        assert mine.lookup_any(str(uuid.uuid4())) is None
        test_domain = conn.lookupByName("test")
        assert mine.lookup_any(test_domain.UUIDString()) is None  # not novalite's
    finally:
        conn.lookupByUUIDString(theirs).undefine()
        mine.close()


def test_serial_ports_are_free_and_in_no_domain(monkeypatch):
    import socket

    h = host.Host("test:///default", "unit-port")
    conn = h.connection()
    # A range of three ports: one is in a (stopped) domain's XML, one is bound by
    # someone else; the third is the only one to hand out, and only once a minute.
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    bound = busy.getsockname()[1]
    low = min(bound, 65533)
    in_xml, free = [p for p in range(low, low + 3) if p != bound][:2]
    monkeypatch.setattr(host, "SERIAL_PORT_RANGE", (low, low + 3))
    monkeypatch.setattr(host, "_reserved", {})
    monkeypatch.setattr(host, "_clock", lambda: 30.0)
    instance_uuid = str(uuid.uuid4())
    conn.defineXML(config.GuestConfig(name=host.domain_name(instance_uuid),
                                      uuid=instance_uuid, memory_mb=64, vcpus=1,
                                      owner_host="elsewhere", serial_port=in_xml).to_xml())
    try:
        assert h.allocate_serial_port() == free
        with pytest.raises(HypervisorError, match="No free serial console port"):
            h.allocate_serial_port()  # handed out already
        monkeypatch.setattr(host, "_clock", lambda: 30.0 + 61)
        assert h.allocate_serial_port() == free  # a minute later: defined or never used
    finally:
        busy.close()
        conn.lookupByUUIDString(instance_uuid).undefine()
        h.close()
