"""Instance disks with the real qemu-img: overlays sized to the flavor, never smaller than
the image, and never over a base image that has a backing file of its own."""

import json
import subprocess

import pytest

from novalite.virt import driver
from novalite.virt.libvirt import disk
from tests.unit.virt.libvirt_required import require_qemu_img

QEMU_IMG = require_qemu_img()
MiB = 1024 ** 2


def _info(path):
    return json.loads(subprocess.run([QEMU_IMG, "info", "-U", "--output=json", path],
                                     check=True, capture_output=True, text=True).stdout)


@pytest.fixture
def base(tmp_path):
    path = tmp_path / "base"
    with open(path, "wb") as f:
        f.truncate(64 * MiB)
    return str(path)


def test_overlay_has_the_flavor_size_over_its_base(tmp_path, base):
    target = str(tmp_path / "disk")
    disk.QemuImg(QEMU_IMG).create_overlay(base, "raw", target, disk.GiB)
    info = _info(target)
    assert info["format"] == "qcow2" and info["virtual-size"] == disk.GiB
    assert info["full-backing-filename"] == base
    assert info["backing-filename-format"] == "raw"


def test_overlay_is_never_smaller_than_the_image(tmp_path, base):
    target = str(tmp_path / "disk")
    disk.QemuImg(QEMU_IMG).create_overlay(base, "raw", target, 0)  # flavor disk 0
    assert _info(target)["virtual-size"] == 64 * MiB


def test_base_image_with_a_backing_file_is_refused(tmp_path, base):
    sneaky = str(tmp_path / "sneaky.qcow2")
    subprocess.run([QEMU_IMG, "create", "-f", "qcow2", "-b", base, "-F", "raw", sneaky],
                   check=True, capture_output=True)
    with pytest.raises(driver.HypervisorError, match="backing file"):
        disk.QemuImg(QEMU_IMG).create_overlay(sneaky, "qcow2", str(tmp_path / "d"), 0)


def test_convert_flattens_an_overlay(tmp_path, base):
    overlay, flat = str(tmp_path / "disk"), str(tmp_path / "flat")
    q = disk.QemuImg(QEMU_IMG)
    q.create_overlay(base, "raw", overlay, 0)
    q.convert_to_qcow2(overlay, flat)
    info = _info(flat)
    assert info["format"] == "qcow2" and "backing-filename" not in info


@pytest.mark.parametrize("glance, qemu", [("qcow2", "qcow2"), ("raw", "raw"), ("ami", "raw"),
                                          ("vhd", "vpc"), (None, "raw")])
def test_glance_formats(glance, qemu):
    assert disk.qemu_format(glance) == qemu


def test_kernel_images_are_no_disk():
    with pytest.raises(driver.HypervisorError, match="aki"):
        disk.qemu_format("aki")
