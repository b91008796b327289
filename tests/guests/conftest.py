"""The real-guest tier: a `novalite serve` process whose compute host runs the libvirt
driver on this machine's libvirtd (`qemu:///system`, software emulation), booting the tiny
guest of tests/guests/tiny_guest.py through the Compute API with openstacksdk.

The host needs Debian's libvirt and QEMU packages and the daemons running: `.ci/libvirt-host`
(as root) does both. Without them these tests skip, saying what is missing; with CI=true
they fail instead.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

import httpx
import pytest

from tests.cloud import free_ports, ports_config
from tests.guests import tiny_guest

CONNECTION_URI = "qemu:///system"


def _missing() -> str | None:
    """What this machine lacks for real guests, or None."""
    try:
        import libvirt
    except ImportError:
        return "the libvirt-python bindings are not installed (make installs them when " \
               "pkg-config finds libvirt)"
    for tool in ("qemu-img", "qemu-system-x86_64", "apt-get", "dpkg-deb"):
        if shutil.which(tool) is None:
            return "%s is not installed (run .ci/libvirt-host as root)" % tool
    try:
        libvirt.open(CONNECTION_URI).close()
    except libvirt.libvirtError as e:
        return "libvirtd does not answer on %s (run .ci/libvirt-host as root): %s" % (
            CONNECTION_URI, e)
    return None


@pytest.fixture(scope="session")
def guest_files():
    missing = _missing()
    if missing:
        message = "real-guest tier: " + missing
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(message + " (CI=true, so this is a failure, not a skip)",
                        pytrace=False)
        pytest.skip(message)
    return tiny_guest.build()


class GuestCloud:
    def __init__(self, state_dir, ports, proc, log_path):
        self.state_dir = state_dir
        self.ports = ports
        self.proc = proc
        self.log_path = log_path
        self.clouds_yaml = os.path.join(state_dir, "clouds.yaml")

    def connect(self, cloud="novalite"):
        import openstack

        config = openstack.config.OpenStackConfig(config_files=[self.clouds_yaml])
        return openstack.connection.Connection(
            config=config.get_one(cloud), compute_api_version="2.96")


@pytest.fixture(scope="session")
def guest_cloud(guest_files):
    # libvirt runs QEMU as its own user: the state directory must be reachable by it,
    # which pytest's private temporary directories are not.
    state = tempfile.mkdtemp(prefix="novalite-guests-")
    os.chmod(state, 0o755)
    ports = free_ports()
    config = os.path.join(state, "novalite.conf")
    with open(config, "w") as f:
        f.write("[DEFAULT]\nreport_interval = 2\ncompute_driver = libvirt\n"
                "[libvirt]\nconnection_uri = %s\nvirt_type = qemu\n" % CONNECTION_URI
                + ports_config(ports))
    log_path = os.path.join(state, "serve.log")
    with open(log_path, "w") as log, open(os.path.join(state, "serve.out"), "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "novalite.cmd.main", "serve", "--computes", "1",
             "--state-dir", state, "--config-file", config], stdout=out, stderr=log)
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get("http://127.0.0.1:%d/v3" % ports["identity"], timeout=1).is_success \
                    and os.path.exists(os.path.join(state, "clouds.yaml")):
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            with open(log_path) as f:
                raise RuntimeError("novalite serve did not start:\n" + f.read()[-3000:])
        time.sleep(0.1)
    yield GuestCloud(state, ports, proc, log_path)
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
    _remove_guests_of(state)
    shutil.rmtree(state, ignore_errors=True)


def _remove_guests_of(state: str) -> None:
    """Destroy and undefine the domains whose disks live in this cloud's state directory:
    a test that failed before deleting its servers must not leave guests running."""
    import libvirt

    connection = libvirt.open(CONNECTION_URI)
    try:
        for domain in connection.listAllDomains():
            if state + "/" not in domain.XMLDesc(0):
                continue
            if domain.isActive():
                domain.destroy()
            domain.undefine()
    finally:
        connection.close()
