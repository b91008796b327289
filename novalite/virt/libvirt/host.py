"""The libvirt connection of one compute host: opening it (again after it broke), the
domains this host owns, power states, and the host's capacity.

A connection may be shared by several novalite hosts (two compute services in one process,
or libvirt's test:///default, whose state is one per process): a domain belongs to the host
named in its novalite <metadata> (config.owner_host), and is named instance-<uuid>.
"""

import logging
import os
import shutil
import socket
import threading

import libvirt

from novalite.compute.states import power_state
from novalite.virt import driver
from novalite.virt.libvirt import config

LOG = logging.getLogger(__name__)

DOMAIN_PREFIX = "instance-"

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

    def _owned(self, domain: libvirt.virDomain) -> bool:
        try:
            if not domain.name().startswith(DOMAIN_PREFIX):
                return False
            return config.owner_host(domain.XMLDesc(0)) == self.hostname
        except libvirt.libvirtError:  # undefined meanwhile
            return False

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


def _host_ip() -> str:
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"
