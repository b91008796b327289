"""Test helpers: an all-in-one cloud on a free port, and an HTTP client for it."""

import random
import socket
import time
import uuid

import httpx

from novalite import conf as nl_conf

_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port nothing listens on, below the kernel's ephemeral range: a port the kernel
    hands out (bind to 0) can be taken by an outgoing connection before the test cloud
    binds it."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768  # Linux's default; macOS starts at 49152
    while True:
        port = random.randrange(10000, low)
        if port in _HANDED_OUT:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port


# Every port a cloud listens on: name -> (group, option).
PORT_OPTIONS = {"compute": ("api", "port"), "image": ("image", "port"),
                "identity": ("identity", "port"), "ec2": ("ec2", "port"),
                "network": ("network_api", "port"), "vnc": ("vnc", "novncproxy_port"),
                "serial": ("serial_console", "serialproxy_port")}


def free_ports(**given) -> dict:
    """A free port for each service of a cloud (given ones kept): another cloud on this
    machine, or a user's own, may hold the default ports."""
    return {name: given.get(name) or free_port() for name in PORT_OPTIONS}


def ports_config(ports: dict) -> str:
    """novalite.conf sections setting those ports (oslo.config merges repeated sections)."""
    return "".join("[%s]\n%s = %d\n" % (*PORT_OPTIONS[name], port)
                   for name, port in ports.items())


def make_conf(state_dir, port=None, **overrides):
    """A ConfigOpts for a test cloud; overrides are {"group.option": value} or {"option": v}."""
    conf = nl_conf.new_conf()
    conf.set_override("state_path", str(state_dir))
    for name, chosen in free_ports(compute=port).items():
        group, option = PORT_OPTIONS[name]
        conf.set_override(option, chosen, group=group)
    # The cheapest scrypt cost: every test cloud hashes its bootstrap passwords.
    conf.set_override("password_hash_rounds", 10, group="identity")
    # A private exchange, so clouds started one after another in one test process never
    # see each other's messages on the shared in-memory transport.
    conf.set_override("control_exchange", "novalite-test-" + uuid.uuid4().hex[:8])
    conf.set_override("report_interval", 1)
    # Most tests speak as whoever they like with noauth2 tokens ('user:project'); the
    # identity and client tests use real tokens (auth_strategy embedded).
    conf.set_override("auth_strategy", "noauth2", group="api")
    for key, value in overrides.items():
        group, _, name = key.rpartition(".")
        conf.set_override(name, value, group=group or None)
    return conf


class Client:
    """A compute API client that speaks as a given user (noauth2 token 'user:project')."""

    def __init__(self, base_url: str, user="demo", project="demo", version="2.96"):
        headers = {"X-Auth-Token": "%s:%s" % (user, project)}
        if version:
            headers["OpenStack-API-Version"] = "compute " + version
        self.http = httpx.Client(base_url=base_url, headers=headers, timeout=30)

    def get(self, path, **kw):
        return self.http.get(path, **kw)

    def post(self, path, json=None, **kw):
        return self.http.post(path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.http.put(path, json=json, **kw)

    def delete(self, path, **kw):
        return self.http.delete(path, **kw)

    def image_id(self) -> str:
        """The demo image (tests upload others, e.g. backups, that list before it)."""
        return self.get("/images", params={"name": "cirros-0.6.2-x86_64-disk"},
                        headers={"OpenStack-API-Version": "compute 2.1"}
                        ).json()["images"][0]["id"]

    def boot(self, name="vm", flavor="1", expect=202, **extra) -> dict:
        body = {"server": {"name": name, "imageRef": self.image_id(), "flavorRef": flavor,
                           "networks": "auto", **extra}}
        resp = self.post("/servers", json=body)
        assert resp.status_code == expect, resp.text
        return resp.json()

    def server(self, server_id) -> dict:
        resp = self.get("/servers/%s" % server_id)
        assert resp.status_code == 200, resp.text
        return resp.json()["server"]

    def wait_for(self, server_id, status, timeout=30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            server = self.server(server_id)
            if server["status"] == status:
                return server
            if time.monotonic() > deadline:
                raise AssertionError("server %s is %s, not %s" % (server_id, server["status"],
                                                                  status))
            time.sleep(0.05)

    def wait_gone(self, server_id, timeout=30) -> None:
        deadline = time.monotonic() + timeout
        while self.get("/servers/%s" % server_id).status_code != 404:
            if time.monotonic() > deadline:
                raise AssertionError("server %s was not deleted" % server_id)
            time.sleep(0.05)
