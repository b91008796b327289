"""The libvirt connection of one compute host: opening it (again after it broke), the
domains this host owns, power states, the host's capacity, and the TCP ports of serial
consoles.

A connection may be shared by several novalite hosts (two compute services in one process,
or libvirt's test:///default, whose state is one per process): a domain belongs to the host
named in its novalite <metadata> (config.owner_host), and is named instance-<uuid>.
"""

import logging
import os
import random
import shutil
import socket
import threading
import time

import libvirt

from novalite.compute.states import power_state
from novalite.virt import driver
from novalite.virt.libvirt import config

LOG = logging.getLogger(__name__)

DOMAIN_PREFIX = "instance-"

# Serial consoles listen on 127.0.0.1 in Nova's default [serial_console] port_range, below
# the kernel's ephemeral ports (which outgoing connections take while a guest is off).
SERIAL_PORT_RANGE = (10000, 20000)
_RESERVE_SECONDS = 60.0  # a port handed out is someone's for this long before its define
_reserved: dict[int, float] = {}  # port -> when it was handed out, for this process
_reserved_lock = threading.Lock()
_clock = time.monotonic

# libvirt's domain states -> Nova's power states (as Nova's LIBVIRT_POWER_STATE).
LIBVIRT_POWER_STATE = {
    libvirt.VIR_DOMAIN_NOSTATE: power_state.NOSTATE,
    libvirt.VIR_DOMAIN_RUNNING: power_state.RUNNING,
    # A blocked domain waits for a resource (I/O, a lock): it is still running.
    libvirt.VIR_DOMAIN_BLOCKED: power_state.RUNNING,
    libvirt.VIR_DOMAIN_PAUSED: power_state.PAUSED,
    # Shutting down: the guest is on its way out, but Nova counts it as running until off.
    libvirt.VIR_DOMAIN_SHUTDOWN: power_state.SHUTDOWN,
    libvirt.VIR_DOMAIN_SHUTOFF: power_state.SHUTDOWN,
    libvirt.VIR_DOMAIN_CRASHED: power_state.CRASHED,
    libvirt.VIR_DOMAIN_PMSUSPENDED: power_state.SUSPENDED,
}


def to_power_state(libvirt_state: int) -> int:
    return LIBVIRT_POWER_STATE.get(libvirt_state, power_state.NOSTATE)


def domain_name(instance_uuid: str) -> str:
    return DOMAIN_PREFIX + instance_uuid


def _quiet(_ctxt, _error) -> None:
    """libvirt prints every error to stderr by default; ours become exceptions and logs."""


libvirt.registerErrorHandler(_quiet, None)


class Host:
    def __init__(self, uri: str, hostname: str):
        self.uri = uri
        self.hostname = hostname  # the novalite host owning the domains we define
        self._conn: libvirt.virConnect | None = None
        self._lock = threading.Lock()

    # -- connection -------------------------------------------------------------------------

    def connection(self) -> libvirt.virConnect:
        with self._lock:
            if self._conn is not None:
                try:
                    if self._conn.isAlive():
                        return self._conn
                except libvirt.libvirtError:
                    pass
                LOG.warning("Connection to %s lost; reconnecting", self.uri)
                self._close_locked()
            try:
                self._conn = libvirt.open(self.uri)
            except libvirt.libvirtError as e:
                raise driver.HypervisorError("Cannot connect to libvirt at %s: %s" % (
                    self.uri, e)) from e
            return self._conn

    def close(self) -> None:
        with self._lock:
            self._close_locked()

    def _close_locked(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except libvirt.libvirtError:
                pass
            self._conn = None

    # -- domains ----------------------------------------------------------------------------

    def lookup(self, instance_uuid: str) -> libvirt.virDomain | None:
        """This host's domain of an instance, or None."""
        try:
            domain = self.connection().lookupByUUIDString(instance_uuid)
        except libvirt.libvirtError as e:
            if e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                return None
            raise driver.HypervisorError(str(e)) from e
        return domain if self._owned(domain) else None

    def lookup_any(self, instance_uuid: str) -> libvirt.virDomain | None:
        """The instance's domain whichever host owns it (one libvirtd may hold the domains
        of several novalite hosts, and a uuid names one domain there), or None."""
        try:
            domain = self.connection().lookupByUUIDString(instance_uuid)
        except libvirt.libvirtError as e:
            if e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                return None
            raise driver.HypervisorError(str(e)) from e
        return domain if domain.name().startswith(DOMAIN_PREFIX) else None

    def _owned(self, domain: libvirt.virDomain) -> bool:
        return owner(domain) == self.hostname

    def domains(self) -> list[libvirt.virDomain]:
        """Every domain (running or only defined) this host owns."""
        return [d for d in self.connection().listAllDomains(0) if self._owned(d)]

    def define(self, xml: str) -> libvirt.virDomain:
        try:
            return self.connection().defineXML(xml)
        except libvirt.libvirtError as e:
            raise driver.HypervisorError("libvirt refused the domain: %s" % e) from e

    def state(self, domain: libvirt.virDomain) -> int:
        """The domain's power state; NOSTATE once it is gone."""
        try:
            return to_power_state(domain.state()[0])
        except libvirt.libvirtError as e:
            if e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                return power_state.NOSTATE
            raise driver.HypervisorError(str(e)) from e

    # -- serial console ports ---------------------------------------------------------------

    def allocate_serial_port(self) -> int:
        """A port for a serial console's TCP server: in SERIAL_PORT_RANGE, in no domain of
        the connection (running or not, whoever owns it), not handed out in the last
        minute by this process, and free now."""
        used = set()
        for domain in self.connection().listAllDomains(0):
            try:
                address = config.serial_tcp_address(domain.XMLDesc(0))
            except libvirt.libvirtError:  # undefined meanwhile
                continue
            if address:
                used.add(address[1])
        low, high = SERIAL_PORT_RANGE
        candidates = list(range(low, high))
        random.shuffle(candidates)
        with _reserved_lock:
            now = _clock()
            for port, since in list(_reserved.items()):
                if now - since > _RESERVE_SECONDS:
                    del _reserved[port]
            for port in candidates:
                if port in used or port in _reserved or not _bindable(port):
                    continue
                _reserved[port] = now
                return port
        raise driver.HypervisorError("No free serial console port in %d-%d" % (low, high))

    # -- capacity ---------------------------------------------------------------------------

    def resources(self, instances_path: str) -> dict:
        """The hypervisor host's capacity, as ComputeDriver.get_available_resource."""
        conn = self.connection()
        _model, memory_mb, cpus = conn.getInfo()[:3]
        try:  # the kernel's exact total (getInfo rounds); not every driver has it
            stats = conn.getMemoryStats(libvirt.VIR_NODE_MEMORY_STATS_ALL_CELLS)
            memory_mb = int(stats["total"]) // 1024
        except (libvirt.libvirtError, KeyError):
            pass
        os.makedirs(instances_path, exist_ok=True)
        disk_gb = shutil.disk_usage(instances_path).total // 1024 ** 3
        return {"vcpus": cpus, "memory_mb": memory_mb, "local_gb": disk_gb,
                "hypervisor_type": "QEMU", "hypervisor_version": conn.getVersion(),
                "hypervisor_hostname": self.hostname, "host_ip": _host_ip()}


def owner(domain: libvirt.virDomain) -> str | None:
    """The novalite host owning a domain (its <metadata>), None if not novalite's."""
    try:
        if not domain.name().startswith(DOMAIN_PREFIX):
            return None
        return config.owner_host(domain.XMLDesc(0))
    except libvirt.libvirtError:  # undefined meanwhile
        return None


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((config.LOCALHOST, port))
        except OSError:
            return False
    return True


def _host_ip() -> str:
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"
