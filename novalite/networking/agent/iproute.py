"""The host's links and network namespaces through iproute2's `ip` command (as Neutron's
ip_lib runs it): bridges, the devices on them, veth pairs, namespaces. A subprocess per
call keeps the agent free of netlink libraries; each call is a few milliseconds."""

from __future__ import annotations

import json
import subprocess


class IpError(RuntimeError):
    pass


def ip(*args: str, netns: str | None = None, check: bool = True) -> str:
    """Run `ip <args>` (in namespace netns) -> its output; IpError if it fails and check."""
    command = ["ip", *(["-n", netns] if netns else []), *args]
    done = subprocess.run(command, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise IpError("%s: %s" % (" ".join(command), done.stderr.strip()))
    return done.stdout


def exists(device: str, netns: str | None = None) -> bool:
    return subprocess.run(["ip", *(["-n", netns] if netns else []), "link", "show", "dev",
                           device], capture_output=True).returncode == 0


def ensure_bridge(name: str) -> None:
    """The bridge, made (and up) if missing; another maker racing us is fine."""
    if not exists(name):
        try:
            ip("link", "add", name, "type", "bridge")
        except IpError:
            if not exists(name):
                raise
    ip("link", "set", name, "up")


def bridge_ports(bridge: str) -> list[str]:
    """The devices on the bridge (none if it is gone)."""
    if not exists(bridge):
        return []
    out = ip("-j", "link", "show", "master", bridge, check=False)
    return [link["ifname"] for link in json.loads(out or "[]")]


def set_master(device: str, bridge: str) -> None:
    ip("link", "set", device, "master", bridge)
    ip("link", "set", device, "up")


def delete_link(device: str) -> None:
    if exists(device):
        ip("link", "del", device, check=False)


def bridges(prefix: str) -> list[str]:
    out = ip("-j", "link", "show", "type", "bridge", check=False)
    return [link["ifname"] for link in json.loads(out or "[]")
            if link["ifname"].startswith(prefix)]


def namespaces() -> list[str]:
    out = ip("-j", "netns", "list", check=False)
    return [ns["name"] for ns in json.loads(out or "[]")]


def ensure_namespace(name: str) -> None:
    if name not in namespaces():
        ip("netns", "add", name)
    ip("link", "set", "lo", "up", netns=name)


def delete_namespace(name: str) -> None:
    if name in namespaces():
        ip("netns", "delete", name, check=False)
