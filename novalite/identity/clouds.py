"""clouds.yaml for the bootstrap users, so that `openstack --os-cloud novalite ...` works
with OS_CLIENT_CONFIG_FILE=<state dir>/clouds.yaml and no other step."""

import os
import tempfile

import yaml

ADMIN_CLOUD = "novalite-admin"
DEMO_CLOUD = "novalite"


def cloud_entry(auth_url: str, region: str, username: str, project: str,
                password: str | None, network_service: bool = True) -> dict:
    auth = {"auth_url": auth_url, "username": username, "project_name": project,
            "user_domain_name": "Default", "project_domain_name": "Default"}
    if password is not None:
        auth["password"] = password
    entry = {"auth": auth, "region_name": region, "identity_api_version": 3}
    if not network_service:
        # No network API in the catalog: else the SDK's auto_ip looks for floating IP
        # pools. With it, auto_ip takes a floating IP from the network service.
        entry["floating_ip_source"] = "None"
    return entry


def read(path: str) -> dict:
    try:
        with open(path) as f:
            return yaml.safe_load(f) or {}
    except FileNotFoundError:
        return {}


def write(path: str, clouds: dict[str, dict]) -> bool:
    """Merge `clouds` into the file (other clouds in it stay), keeping a password the file
    has when the entry brings none. Private (0600), replaced atomically. True if changed."""
    current = read(path)
    merged = dict(current.get("clouds") or {})
    for name, entry in clouds.items():
        old_password = ((merged.get(name) or {}).get("auth") or {}).get("password")
        if "password" not in entry["auth"] and old_password is not None:
            entry = {**entry, "auth": {**entry["auth"], "password": old_password}}
        merged[name] = entry
    document = {**current, "clouds": merged}
    if document == current:
        return False
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".clouds-")  # created 0600
    try:
        with os.fdopen(fd, "w") as f:
            yaml.safe_dump(document, f, default_flow_style=False, sort_keys=False)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return True
