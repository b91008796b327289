"""The config drive: an ISO9660 image labelled config-2 holding the OpenStack metadata, as
Nova's (cloud-init's ConfigDrive datasource reads it). Written with pycdlib.

    openstack/latest/meta_data.json   uuid, name, hostname, launch_index, availability_zone,
                                      public_keys {key name: key}, project_id, meta
    openstack/latest/network_data.json  links, networks and DNS services (virt/network_data)
    openstack/latest/user_data        the server's user data, when it has some
"""

import base64
import binascii
import io
import json

import pycdlib

from novalite.virt import driver
from novalite.virt.network_data import network_data

VOLUME_LABEL = "config-2"
VERSION_DIR = "openstack/latest"


# Does this instance get a config drive? (Its config_drive field, or [DEFAULT]
# force_config_drive.) The rule every driver shares, kept in virt/driver.py.
required = driver.config_drive_required


def meta_data(instance) -> dict:
    public_keys = {instance.key_name: instance.key_data} if instance.key_name and \
        instance.key_data else {}
    return {"uuid": instance.uuid, "name": instance.display_name,
            "hostname": instance.hostname, "launch_index": instance.launch_index,
            "availability_zone": instance.availability_zone,
            "public_keys": public_keys, "project_id": instance.project_id,
            "meta": dict(instance.metadata or {})}


def user_data(instance) -> bytes | None:
    """The user data as the guest sees it: the API keeps it base64-encoded, as Nova."""
    if not instance.user_data:
        return None
    try:
        return base64.b64decode(instance.user_data, validate=True)
    except (binascii.Error, ValueError):
        return instance.user_data.encode()


def files(instance) -> dict[str, bytes]:
    """{path in the drive: content}"""
    out = {VERSION_DIR + "/meta_data.json": json.dumps(meta_data(instance)).encode()}
    network = network_data(instance.network_info)
    if network is not None:
        out[VERSION_DIR + "/network_data.json"] = json.dumps(network).encode()
    data = user_data(instance)
    if data is not None:
        out[VERSION_DIR + "/user_data"] = data
    return out


def make(path: str, contents: dict[str, bytes]) -> None:
    """Write an ISO9660 image (Rock Ridge and Joliet names, as genisoimage -J -r) holding
    `contents` ({relative path: bytes}) to `path`."""
    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=4, joliet=3, rock_ridge="1.09", vol_ident=VOLUME_LABEL)
    made = set()
    for name, data in sorted(contents.items()):
        parts = name.split("/")
        for depth in range(1, len(parts)):
            directory = "/".join(parts[:depth])
            if directory not in made:
                iso.add_directory(_iso_path(directory), rr_name=parts[depth - 1],
                                  joliet_path="/" + directory)
                made.add(directory)
        iso.add_fp(io.BytesIO(data), len(data), _iso_path(name), rr_name=parts[-1],
                   joliet_path="/" + name)
    try:
        iso.write(path)
    finally:
        iso.close()


def _iso_path(name: str) -> str:
    # Interchange level 4 allows long names; ISO9660 names are upper case, files end in ;1.
    # (Guests read the Rock Ridge or Joliet names, which keep the real spelling.)
    parts = [p.upper().replace("-", "_") for p in name.split("/")]
    return "/" + "/".join(parts)


def read(path: str) -> dict[str, bytes]:
    """{relative path: bytes} of every file in an ISO (by Rock Ridge names), and its volume
    label under the key ''. For tests and diagnostics."""
    iso = pycdlib.PyCdlib()
    iso.open(path)
    try:
        out = {"": iso.pvd.volume_identifier.decode().strip().encode()}
        for dirname, _dirs, filenames in iso.walk(rr_path="/"):
            for filename in filenames:
                rr_path = dirname.rstrip("/") + "/" + filename
                data = io.BytesIO()
                iso.get_file_from_iso_fp(data, rr_path=rr_path)
                out[rr_path.lstrip("/")] = data.getvalue()
        return out
    finally:
        iso.close()
