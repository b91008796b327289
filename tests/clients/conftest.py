"""The client tier: a real `novalite serve` process, driven by the real OpenStack tools
(openstacksdk, the `openstack` CLI, python-novaclient) through the clouds.yaml that its
bootstrap writes — exactly what a new user does."""

import contextlib
import json
import os
import subprocess
import sys
import time

import httpx
import pytest
import yaml

from tests.cloud import free_ports, ports_config

IMAGE_NAME = "cirros-0.6.2-x86_64-disk"


class Cloud:
    def __init__(self, state_dir, ports, proc, log_path):
        self.state_dir = state_dir
        self.ports = ports
        self.proc = proc
        self.log_path = log_path
        self.clouds_yaml = os.path.join(state_dir, "clouds.yaml")
        self.env = dict(os.environ, OS_CLIENT_CONFIG_FILE=self.clouds_yaml,
                        PYTHONWARNINGS="ignore")

    def secrets(self) -> list[str]:
        """The passwords bootstrap generated: they must never reach a log."""
        with open(self.clouds_yaml) as f:
            clouds = yaml.safe_load(f)["clouds"]
        return [c["auth"]["password"] for c in clouds.values()]

    def openstack(self, *args, cloud="novalite", check=True):
        """Run the `openstack` CLI; with `-f json` in args, return the parsed output."""
        cmd = [os.path.join(os.path.dirname(sys.executable), "openstack"),
               "--os-cloud", cloud, *args]
        done = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            raise AssertionError("openstack %s failed (%d):\n%s\n%s" % (
                " ".join(args), done.returncode, done.stdout, done.stderr))
        if "-f" in args and args[args.index("-f") + 1] == "json" and done.returncode == 0:
            return json.loads(done.stdout or "null")
        return done


@pytest.fixture(scope="session")
def cloud(tmp_path_factory):
    state = tmp_path_factory.mktemp("novalite")
    ports = free_ports()
    config = state / "novalite.conf"
    config.write_text("[DEFAULT]\nreport_interval = 2\n" + ports_config(ports))
    # Logging goes to stderr; stdout has the banner, which shows new passwords once.
    log_path = state / "serve.log"
    with open(log_path, "w") as log, open(state / "serve.out", "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "novalite.cmd.main", "serve", "--state-dir", str(state),
             "--config-file", str(config)], stdout=out, stderr=log)
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get("http://127.0.0.1:%d/v3" % ports["identity"], timeout=1).is_success \
                    and os.path.exists(state / "clouds.yaml"):
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("novalite serve did not start:\n" + log_path.read_text()[-3000:])
        time.sleep(0.1)
    yield Cloud(str(state), ports, proc, str(log_path))
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def conn(cloud, monkeypatch_module):
    """An openstacksdk connection to the cloud, from its clouds.yaml."""
    import openstack

    monkeypatch_module.setenv("OS_CLIENT_CONFIG_FILE", cloud.clouds_yaml)
    connection = openstack.connect(cloud="novalite")
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@contextlib.contextmanager
def serve_cloud(state, extra_config="", serve_args=()):
    """A `novalite serve` of its own, for tests that need another shape of cloud than the
    session's (fewer hosts, other [DEFAULT] options): extra_config is appended to its
    novalite.conf, serve_args to its command line (e.g. ("--computes", "1"))."""
    ports = free_ports()
    config = state / "novalite.conf"
    config.write_text("[DEFAULT]\nreport_interval = 2\n[identity]\npassword_hash_rounds = 10\n"
                      + ports_config(ports) + extra_config)
    log_path = state / "serve.log"
    with open(log_path, "w") as log, open(state / "serve.out", "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "novalite.cmd.main", "serve", "--state-dir", str(state),
             "--config-file", str(config), *serve_args], stdout=out, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while not _identity_up(ports["identity"]) or not os.path.exists(state / "clouds.yaml"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("novalite serve did not start:\n" +
                                   log_path.read_text()[-3000:])
            time.sleep(0.1)
        yield Cloud(str(state), ports, proc, str(log_path))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _identity_up(port) -> bool:
    try:
        return httpx.get("http://127.0.0.1:%d/v3" % port, timeout=1).is_success
    except httpx.HTTPError:
        return False


def sdk_connection(cloud, name="novalite"):
    """An openstacksdk connection to one of `cloud`'s clouds.yaml entries, whatever
    OS_CLIENT_CONFIG_FILE says (the `conn` fixture sets it for the session's cloud)."""
    from openstack import config, connection

    region = config.OpenStackConfig(config_files=[cloud.clouds_yaml],
                                    load_envvars=False).get_one(cloud=name)
    return connection.Connection(config=region)


@pytest.fixture(scope="module")
def admin_conn(cloud):
    """An openstacksdk connection as the cloud's administrator ("novalite-admin")."""
    connection = sdk_connection(cloud, "novalite-admin")
    yield connection
    connection.close()
