"""Fixed IP allocation. The unique (network, address) constraint is what guarantees that an
address is never handed to two instances, even with several compute processes allocating."""

import ipaddress
import random

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import fixed_ips
from novalite.objects.base import utcnow


def _mac() -> str:
    return "fa:16:3e:%02x:%02x:%02x" % tuple(random.randint(0, 255) for _ in range(3))


def allocate(database, network: str, cidr: str, instance_uuid: str) -> tuple[str, str]:
    """Give the instance the lowest free address of the network; return (address, mac)."""
    net = ipaddress.ip_network(cidr, strict=False)
    # .0 is the network, .1 the gateway, the last the broadcast address.
    reserved = {net.network_address, net.network_address + 1, net.broadcast_address}
    for _attempt in range(20):
        with database.reader() as conn:
            used = {ipaddress.ip_address(a) for (a,) in conn.execute(
                sa.select(fixed_ips.c.address).where(fixed_ips.c.network == network))}
        address = next((a for a in net.hosts() if a not in used and a not in reserved), None)
        if address is None:
            raise exception.FixedIpsExhausted(network=network)
        mac = _mac()
        try:
            with database.writer() as conn:
                conn.execute(fixed_ips.insert().values(
                    network=network, address=str(address), mac=mac,
                    instance_uuid=instance_uuid, created_at=utcnow()))
            return str(address), mac
        except sa.exc.IntegrityError:
            continue  # another host took it between our read and write: try the next one
    raise exception.FixedIpsExhausted(network=network)


def release(database, instance_uuid: str) -> None:
    with database.writer() as conn:
        conn.execute(fixed_ips.delete().where(fixed_ips.c.instance_uuid == instance_uuid))
