"""Fixed IP allocation. The unique (network, address) constraint is what guarantees that an
address is never handed to two instances, even with several compute processes allocating."""

import ipaddress
import random
import socket

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import fixed_ips
from novalite.objects.base import utcnow


def _mac() -> str:
    return "fa:16:3e:%02x:%02x:%02x" % tuple(random.randint(0, 255) for _ in range(3))


def _to_int(address: str) -> int:
    return int.from_bytes(socket.inet_aton(address), "big")


_INSERT = fixed_ips.insert()
_LAST = (sa.select(fixed_ips.c.address).where(fixed_ips.c.network == sa.bindparam("network"))
         .order_by(fixed_ips.c.id.desc()).limit(1))
_USED = sa.select(fixed_ips.c.address).where(fixed_ips.c.network == sa.bindparam("network"))


def _next_free(conn, network: str, first: int, last: int) -> int:
    """The address after the last one handed out (one cheap query), or, once the range is
    used up to its end, the lowest free one."""
    latest = conn.execute(_LAST, {"network": network}).scalar()
    if latest is None:
        return first
    candidate = _to_int(latest) + 1
    if first <= candidate <= last and conn.execute(
            sa.select(fixed_ips.c.id).where(fixed_ips.c.network == network,
                                            fixed_ips.c.address == str(
                                                ipaddress.IPv4Address(candidate)))
    ).first() is None:
        return candidate
    used = {_to_int(a) for (a,) in conn.execute(_USED, {"network": network})}
    candidate = first
    while candidate in used:
        candidate += 1
    if candidate > last:
        raise exception.FixedIpsExhausted(network=network)
    return candidate


def allocate(database, network: str, cidr: str, instance_uuid: str,
             conn=None) -> tuple[str, str]:
    """Give the instance a free address of the network; return (address, mac)."""
    net = ipaddress.ip_network(cidr, strict=False)
    # .0 is the network, .1 the gateway, the last the broadcast address.
    first, last = int(net.network_address) + 2, int(net.broadcast_address) - 1
    mac = _mac()
    for _attempt in range(20):
        try:
            # Read and insert in one write transaction: on SQLite that serialises
            # allocations; elsewhere the unique constraint catches a race and we retry.
            with database.writer(conn) as tx:
                candidate = _next_free(tx, network, first, last)
                address = str(ipaddress.IPv4Address(candidate))
                # A savepoint, so a lost race inside a caller's transaction is retried
                # without aborting it.
                with tx.begin_nested():
                    tx.execute(_INSERT, {"network": network, "address": address, "mac": mac,
                                         "instance_uuid": instance_uuid,
                                         "created_at": utcnow()})
            return address, mac
        except sa.exc.IntegrityError:
            continue  # another host took it between our read and write: try again
    raise exception.FixedIpsExhausted(network=network)


def release(database, instance_uuid: str) -> None:
    with database.writer() as conn:
        conn.execute(fixed_ips.delete().where(fixed_ips.c.instance_uuid == instance_uuid))
