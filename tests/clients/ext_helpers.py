"""Helpers for the novalite extension tests: a keystoneauth1 session and the `nova` CLI
from the cloud's clouds.yaml, servers booted quickly, and `nova show` tables parsed."""

import os
import subprocess
import sys
import time
import uuid

import yaml
from keystoneauth1 import adapter, loading, session


def auth_options(cloud, name="novalite") -> dict:
    with open(cloud.clouds_yaml) as f:
        return yaml.safe_load(f)["clouds"][name]["auth"]


def make_session(cloud, name="novalite") -> session.Session:
    plugin = loading.get_plugin_loader("password").load_from_options(
        **auth_options(cloud, name))
    return session.Session(auth=plugin)


def nova(cloud, *args, name="novalite", check=True) -> subprocess.CompletedProcess:
    """Run the stock `nova` CLI; it reads OS_* variables, not clouds.yaml."""
    auth = auth_options(cloud, name)
    env = dict(cloud.env, OS_AUTH_URL=auth["auth_url"], OS_USERNAME=auth["username"],
               OS_PASSWORD=auth["password"], OS_PROJECT_NAME=auth["project_name"],
               OS_USER_DOMAIN_NAME=auth["user_domain_name"],
               OS_PROJECT_DOMAIN_NAME=auth["project_domain_name"])
    env.pop("OS_CLOUD", None)
    cmd = [os.path.join(os.path.dirname(sys.executable), "nova"), *args]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if check and done.returncode != 0:
        raise AssertionError("nova %s failed (%d):\n%s\n%s" % (
            " ".join(args), done.returncode, done.stdout, done.stderr))
    return done


def parse_tables(text: str) -> list[dict]:
    """`nova show`-style `| Property | Value |` tables -> one dict per table."""
    tables, current = [], None
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|", 1)]
        if cells == ["Property", "Value"]:
            current = {}
            tables.append(current)
        elif current is not None and len(cells) == 2:
            if cells[0]:
                key = cells[0]
                current[key] = cells[1]
            else:  # a wrapped value continues on the next row
                current[key] += "\n" + cells[1]
    return tables


def boot_servers(sess, count=3, prefix="ext") -> list[dict]:
    """Boot `count` servers over plain HTTP (faster than a CLI process each) and wait for
    ACTIVE; returns their GET /servers/{id} bodies."""
    compute = adapter.Adapter(sess, service_type="compute", default_microversion="2.47")
    image = adapter.Adapter(sess, service_type="image")
    image_id = image.get("/v2/images").json()["images"][0]["id"]
    flavor_id = next(f["id"] for f in compute.get("/flavors").json()["flavors"]
                     if f["name"] == "m1.tiny")
    tag = uuid.uuid4().hex[:6]
    ids = []
    for i in range(count):
        body = {"server": {"name": "%s-%s-%d" % (prefix, tag, i), "imageRef": image_id,
                           "flavorRef": flavor_id, "networks": "auto"}}
        ids.append(compute.post("/servers", json=body).json()["server"]["id"])
    return [wait_for_server(compute, server_id, "ACTIVE") for server_id in ids]


def wait_for_server(compute, server_id, status, timeout=60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        server = compute.get("/servers/%s" % server_id).json()["server"]
        if server["status"] == status or time.monotonic() > deadline:
            assert server["status"] == status, server
            return server
        time.sleep(0.2)


def delete_servers(sess, servers):
    compute = adapter.Adapter(sess, service_type="compute")
    for server in servers:
        compute.delete("/servers/%s" % server["id"], raise_exc=False)


def wait_for_image(sess, image_id, status="active", timeout=60) -> dict:
    image = adapter.Adapter(sess, service_type="image")
    deadline = time.monotonic() + timeout
    while True:
        record = image.get("/v2/images/%s" % image_id).json()
        if record["status"] == status or time.monotonic() > deadline:
            assert record["status"] == status, record
            return record
        time.sleep(0.2)


def parse_grids(text: str) -> list[list[dict]]:
    """Every prettytable in `text` (`nova ...-list` style, any columns) -> one list of row
    dicts per table, keyed by the header. A table is: border, header, border, rows, border.
    """
    tables, header, rows, borders = [], None, [], 0
    for line in text.splitlines():
        if line.startswith("+"):
            borders += 1
            if borders == 3:
                tables.append(rows)
                header, rows, borders = None, [], 0
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if borders == 1:
                header = cells
            elif header is not None:
                rows.append(dict(zip(header, cells, strict=True)))
    return tables


def nova_path() -> str:
    return os.path.join(os.path.dirname(sys.executable), "nova")


def nova_env(cloud, name="novalite") -> dict:
    """The OS_* environment `nova` (above) runs with, for tests that start it themselves."""
    auth = auth_options(cloud, name)
    env = dict(cloud.env, OS_AUTH_URL=auth["auth_url"], OS_USERNAME=auth["username"],
               OS_PASSWORD=auth["password"], OS_PROJECT_NAME=auth["project_name"],
               OS_USER_DOMAIN_NAME=auth["user_domain_name"],
               OS_PROJECT_DOMAIN_NAME=auth["project_domain_name"])
    env.pop("OS_CLOUD", None)
    return env
