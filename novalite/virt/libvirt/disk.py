"""Instance disks with qemu-img: the qcow2 overlay over a cached base image, the
flattened copy a snapshot uploads or a migration moves, and growing a disk on resize."""

import json
import shutil
import subprocess

from novalite.virt import driver

GiB = 1024 ** 3

# Glance disk_format -> qemu-img format of the file. ami is a raw disk image whose kernel
# and ramdisk are separate images (direct kernel boot).
_QEMU_FORMATS = {"qcow2": "qcow2", "raw": "raw", "ami": "raw", "vmdk": "vmdk", "vdi": "vdi",
                 "vhd": "vpc", "vhdx": "vhdx"}


def find_qemu_img() -> str:
    path = shutil.which("qemu-img")
    if path is None:
        raise driver.HypervisorError(
            "The libvirt driver needs qemu-img, which is not on PATH (Debian/Ubuntu: apt "
            "install qemu-utils)")
    return path


def qemu_format(disk_format: str | None) -> str:
    try:
        return _QEMU_FORMATS[disk_format or "raw"]
    except KeyError:
        raise driver.HypervisorError(
            "Images of disk_format %r cannot be a guest's disk" % disk_format) from None


class QemuImg:
    def __init__(self, path: str):
        self.path = path

    def _run(self, *args: str) -> str:
        result = subprocess.run([self.path, *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise driver.HypervisorError("qemu-img %s failed: %s" % (
                args[0], result.stderr.strip() or result.stdout.strip()))
        return result.stdout

    def info(self, path: str, fmt: str) -> dict:
        """qemu-img's description of an image, read as `fmt` (never probed: a raw image
        whose first bytes look like a qcow2 header must not be read as qcow2)."""
        return json.loads(self._run("info", "-U", "-f", fmt, "--output=json", path))

    def create_overlay(self, base: str, base_format: str, disk: str, size_bytes: int) -> None:
        """A qcow2 disk at `disk` whose unwritten blocks read from `base`; `size_bytes`
        never below the base's virtual size."""
        info = self.info(base, base_format)
        if info.get("backing-filename") or info.get("full-backing-filename"):
            # A base image is one self-contained file; a backing file inside an uploaded
            # image would let its owner read any file of the host.
            raise driver.HypervisorError("Base image %s has a backing file" % base)
        size = max(size_bytes, int(info["virtual-size"]))
        self._run("create", "-f", "qcow2", "-b", base, "-F", base_format, disk, str(size))

    def convert_to_qcow2(self, source: str, target: str) -> None:
        """One standalone qcow2 file (backing chain flattened) from a disk a guest may
        still have open (-U: no lock; the caller paused or stopped the guest)."""
        self._run("convert", "-U", "-O", "qcow2", source, target)

    def resize(self, path: str, fmt: str, size_bytes: int) -> None:
        """Grow a disk to size_bytes (the guest's file systems stay as they are)."""
        self._run("resize", "-f", fmt, path, str(size_bytes))

    def virtual_size(self, path: str, fmt: str) -> int:
        return int(self.info(path, fmt)["virtual-size"])
