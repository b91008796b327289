"""`novalite bootstrap` and `novalite identity` as separate processes (the distributed
mode), with the debug log on: passwords go to the terminal once, never to the log."""

import os
import subprocess
import sys
import time

import httpx
import pytest
import yaml
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3 as ks_v3

from tests.cloud import free_port


def novalite(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "novalite.cmd.main", "--debug", *args],
                          capture_output=True, text=True, timeout=120, **kwargs)


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    state = tmp_path_factory.mktemp("identity-service")
    port = free_port()
    path = state / "novalite.conf"
    path.write_text("[DEFAULT]\nstate_path = %s\n[identity]\nport = %d\n"
                    "password_hash_rounds = 10\n" % (state, port))
    return {"path": str(path), "state": state, "port": port}


def test_bootstrap_prints_new_passwords_once(config):
    first = novalite("bootstrap", "--config-file", config["path"],
                     env={**os.environ, "NOVALITE_ADMIN_PASSWORD": "chosen-admin-pw"})
    assert first.returncode == 0, first.stderr
    assert "admin password: chosen-admin-pw" in first.stdout
    demo_line = [line for line in first.stdout.splitlines() if "demo password:" in line]
    demo_password = demo_line[0].split(":", 1)[1].strip()
    assert "chosen-admin-pw" not in first.stderr and demo_password not in first.stderr
    clouds = yaml.safe_load((config["state"] / "clouds.yaml").read_text())["clouds"]
    assert clouds["novalite"]["auth"]["password"] == demo_password
    assert clouds["novalite-admin"]["auth"]["auth_url"] == \
        "http://127.0.0.1:%d/v3" % config["port"]

    again = novalite("bootstrap", "--config-file", config["path"])
    assert again.returncode == 0, again.stderr
    assert "password" not in again.stdout  # nothing new to show
    assert yaml.safe_load((config["state"] / "clouds.yaml").read_text())["clouds"] == clouds


def test_the_identity_service_on_its_own(config):
    log = open(config["state"] / "identity.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "novalite.cmd.main", "--debug",
                             "identity", "--config-file", config["path"]],
                            stdout=log, stderr=subprocess.STDOUT)
    url = "http://127.0.0.1:%d" % config["port"]
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, (config["state"] / "identity.log").read_text()
            try:
                if httpx.get(url + "/v3", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the identity service did not answer"
            time.sleep(0.1)
        sess = ks_session.Session(auth=ks_v3.Password(
            auth_url=url + "/v3", username="admin", password="chosen-admin-pw",
            project_name="admin", user_domain_name="Default", project_domain_name="Default"))
        token = sess.get_token()
        resp = httpx.get(url + "/v3/users", headers={"X-Auth-Token": token}, timeout=10)
        assert {u["name"] for u in resp.json()["users"]} == {"admin", "demo", "novalite"}
        wrong = httpx.post(url + "/v3/auth/tokens", timeout=10, json={"auth": {"identity": {
            "methods": ["password"], "password": {"user": {
                "name": "admin", "domain": {"id": "default"}, "password": "not-it"}}}}})
        assert wrong.status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    logged = (config["state"] / "identity.log").read_text()
    assert "identity API on %s/v3" % url in logged
    for secret in ("chosen-admin-pw", "not-it", token):
        assert secret not in logged
