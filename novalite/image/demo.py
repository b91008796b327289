"""The demo image's bytes: a small, valid, empty qcow2 disk, the same on every machine
(no downloads are possible everywhere novalite starts)."""

import struct

_CLUSTER_BITS = 16
_CLUSTER = 1 << _CLUSTER_BITS
VIRTUAL_SIZE = 1024 ** 3  # 1 GiB, all unallocated


def qcow2_disk() -> bytes:
    """An empty qcow2 (version 2) as `qemu-img create -f qcow2 x 1G` lays it out: header,
    refcount table, refcount block and L1 table, one 64 KiB cluster each."""
    l2_span = _CLUSTER * (_CLUSTER // 8)  # bytes one L2 table maps
    l1_size = -(-VIRTUAL_SIZE // l2_span)
    refcount_table, refcount_block, l1_table = _CLUSTER, 2 * _CLUSTER, 3 * _CLUSTER
    header = struct.pack(
        ">4sIQIIQIIQQIIQ", b"QFI\xfb", 2, 0, 0, _CLUSTER_BITS, VIRTUAL_SIZE, 0,
        l1_size, l1_table, refcount_table, 1, 0, 0)
    disk = bytearray(4 * _CLUSTER)
    disk[:len(header)] = header
    disk[refcount_table:refcount_table + 8] = struct.pack(">Q", refcount_block)
    for cluster in range(4):  # each of the four clusters is used once
        offset = refcount_block + 2 * cluster
        disk[offset:offset + 2] = struct.pack(">H", 1)
    return bytes(disk)
