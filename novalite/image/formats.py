"""What the image service reads in image data: the virtual size (the disk's size as a
guest sees it), from the first bytes of the data while it uploads."""

import struct

QCOW2_MAGIC = b"QFI\xfb"
# Formats whose bytes are the disk itself, with no header: the virtual size is the size.
_HEADERLESS = ("raw", "iso", "ami", "aki", "ari")


def virtual_size(disk_format: str | None, head: bytes, size: int) -> int | None:
    """The virtual size, or None when unknown: a format whose header is not read here
    (vmdk, vhd, vhdx, vdi, ploop), or data that does not start as its format says."""
    if disk_format == "qcow2":
        # The qcow2 header: magic, version, backing file offset and size, cluster bits,
        # then the virtual size, a big-endian uint64 at offset 24.
        if len(head) >= 32 and head[:4] == QCOW2_MAGIC:
            return struct.unpack_from(">Q", head, 24)[0]
        return None
    return size if disk_format in _HEADERLESS else None
