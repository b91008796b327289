"""Comparing disk images by what a guest would read from them."""

import os
import shutil
import subprocess
import tempfile


def guest_view(data: bytes) -> bytes:
    """The bytes a guest sees: a qcow2 image (e.g. a flattened overlay, as snapshots are
    made when qemu-img is installed) converted to raw; anything else as it is."""
    if not data.startswith(b"QFI\xfb") or not shutil.which("qemu-img"):
        return data
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.qcow2"), os.path.join(tmp, "out.raw")
        with open(src, "wb") as f:
            f.write(data)
        subprocess.run(["qemu-img", "convert", "-O", "raw", src, dst], check=True)
        with open(dst, "rb") as f:
            return f.read()


def disk_file_view(path: str) -> bytes:
    """guest_view of a disk file, overlays read through their backing file."""
    if shutil.which("qemu-img"):
        with tempfile.TemporaryDirectory() as tmp:
            dst = os.path.join(tmp, "out.raw")
            subprocess.run(["qemu-img", "convert", "-O", "raw", path, dst], check=True)
            with open(dst, "rb") as f:
                return f.read()
    with open(path, "rb") as f:
        return f.read()
