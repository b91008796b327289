"""Key pair queries: a user's key pairs, by name, in name order (as Nova pages them)."""

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import key_pairs
from novalite.objects.base import utcnow
from novalite.objects.keypair import KeyPair

_FIELDS = ("id", "name", "user_id", "public_key", "fingerprint", "type", "created_at",
           "updated_at")


def _from_row(row) -> KeyPair:
    m = row._mapping
    return KeyPair(**{k: m[k] for k in _FIELDS})


def _by_name(user_id: str, name: str):
    return sa.select(key_pairs).where(key_pairs.c.user_id == user_id, key_pairs.c.name == name)


def get(database, user_id: str, name: str) -> KeyPair:
    with database.reader() as conn:
        row = conn.execute(_by_name(user_id, name)).first()
    if row is None:
        raise exception.KeypairNotFound(name=name, user_id=user_id)
    return _from_row(row)


def list_(database, user_id: str, limit: int | None = None,
          marker: str | None = None) -> list[KeyPair]:
    query = sa.select(key_pairs).where(key_pairs.c.user_id == user_id)
    with database.reader() as conn:
        if marker is not None:
            if conn.execute(_by_name(user_id, marker)).first() is None:
                raise exception.MarkerNotFound(marker=marker)
            query = query.where(key_pairs.c.name > marker)
        query = query.order_by(key_pairs.c.name)
        if limit is not None:
            query = query.limit(limit)
        return [_from_row(r) for r in conn.execute(query)]


def count(conn, user_id: str) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(key_pairs)
                        .where(key_pairs.c.user_id == user_id)).scalar_one()


def create(database, keypair: KeyPair, conn=None) -> KeyPair:
    """Insert a key pair (in `conn`'s transaction when given: the quota check's)."""
    now = utcnow()
    values = {k: getattr(keypair, k) for k in _FIELDS if k not in ("id", "updated_at")}
    values["created_at"] = now
    with database.writer(conn) as conn:
        if conn.execute(_by_name(keypair.user_id, keypair.name)).first() is not None:
            raise exception.KeyPairExists(key_name=keypair.name)
        try:
            keypair.id = conn.execute(key_pairs.insert().values(**values)
                                      ).inserted_primary_key[0]
        except sa.exc.IntegrityError as e:  # created meanwhile, outside the quota lock
            raise exception.KeyPairExists(key_name=keypair.name) from e
    keypair.created_at = now
    return keypair


def delete(database, user_id: str, name: str) -> None:
    with database.writer() as conn:
        result = conn.execute(key_pairs.delete().where(key_pairs.c.user_id == user_id,
                                                       key_pairs.c.name == name))
    if result.rowcount == 0:
        raise exception.KeypairNotFound(name=name, user_id=user_id)
