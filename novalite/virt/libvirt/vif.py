"""The compute side of a VIF, as Nova's libvirt vif driver and os-vif's linux_bridge plugin
do it: a VIF of type "bridge" (a port bound to a host whose network agent wires Linux
bridges) is a tap device `devname` that libvirt makes on the network's bridge
`brq<network id[:11]>`, and the bridge is made here, with iproute2's `ip`, if the agent has
not made it yet (libvirt will not start a guest on a missing bridge). Every other type
keeps QEMU's user-mode networking, which needs nothing of the host.

The bridge's name is the agent's convention, repeated here: virt does not import the
network service."""

import subprocess

from novalite.virt import driver
from novalite.virt.libvirt import config

BRIDGE = "bridge"
_BRIDGE_PREFIX = "brq"
_DEVNAME_LEN = 14


def bridge_name(vif: dict) -> str:
    return _BRIDGE_PREFIX + vif["network_id"][:11]


def devname(vif: dict) -> str:
    return vif.get("devname") or ("tap" + vif["id"])[:_DEVNAME_LEN]


def is_bridged(vif) -> bool:
    return isinstance(vif, dict) and vif.get("type") == BRIDGE and bool(vif.get("network_id"))


def interface(vif, mac: str) -> config.GuestInterface:
    if is_bridged(vif):
        return config.GuestInterface(mac, type="bridge", source_bridge=bridge_name(vif),
                                     target_dev=devname(vif))
    return config.GuestInterface(mac)


def plug(network_info) -> None:
    """The bridges of the bridged VIFs, made (and up) where missing."""
    for vif in network_info or ():
        if is_bridged(vif):
            _ensure_bridge(bridge_name(vif))


def _ip(*args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["ip", *args], capture_output=True, text=True)
    except OSError as e:
        raise driver.HypervisorError("Cannot run ip (iproute2): %s" % e) from e


def _ensure_bridge(name: str) -> None:
    if _ip("link", "show", "dev", name).returncode != 0:
        added = _ip("link", "add", name, "type", "bridge")
        # The agent may have made it meanwhile.
        if added.returncode != 0 and _ip("link", "show", "dev", name).returncode != 0:
            raise driver.HypervisorError("Cannot make bridge %s: %s" % (
                name, added.stderr.strip()))
    up = _ip("link", "set", name, "up")
    if up.returncode != 0:
        raise driver.HypervisorError("Cannot set bridge %s up: %s" % (name, up.stderr.strip()))
