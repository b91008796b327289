"""Virtual sizes from the first bytes of image data."""

import struct

import pytest

from novalite.image import demo, formats


def test_qcow2_virtual_size_comes_from_its_header():
    head = struct.pack(">4sIQIIQ", b"QFI\xfb", 3, 0, 0, 16, 5 * 1024 ** 4)
    assert formats.virtual_size("qcow2", head, 1000) == 5 * 1024 ** 4
    assert formats.virtual_size("qcow2", demo.qcow2_disk()[:512], 1) == demo.VIRTUAL_SIZE


@pytest.mark.parametrize("disk_format, head, expected", [
    ("raw", b"\0" * 512, 123), ("iso", b"CD001", 123), ("ami", b"", 123),
    ("qcow2", b"QFI\xfb" + bytes(20), None),  # too short to hold the size
    ("qcow2", b"\0" * 512, None),  # not a qcow2 header
    ("vmdk", b"KDMV" + bytes(508), None), ("vhdx", bytes(512), None), (None, b"", None),
])
def test_other_formats(disk_format, head, expected):
    assert formats.virtual_size(disk_format, head, 123) == expected
