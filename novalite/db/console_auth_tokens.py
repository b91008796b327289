"""Remote console tokens: made when a console URL is handed out, looked up by an
administrator (os-console-auth-tokens) and consumed by the proxy's first connection."""

import dataclasses
import hashlib
import secrets
import time

import sqlalchemy as sa

from novalite.db.models import console_auth_tokens as tokens
from novalite.objects.base import utcnow


@dataclasses.dataclass
class ConsoleConnection:
    instance_uuid: str
    console_type: str
    host: str
    port: int
    internal_access_path: str | None = None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(database, connection: ConsoleConnection, ttl: int) -> str:
    """A new token for the connection, valid for ttl seconds. -> the token"""
    token = secrets.token_urlsafe(24)
    now = int(time.time())
    with database.writer() as conn:
        conn.execute(sa.delete(tokens).where(tokens.c.expires < now))  # expired ones go
        conn.execute(tokens.insert().values(
            token_hash=_hash(token), console_type=connection.console_type,
            host=connection.host, port=connection.port,
            internal_access_path=connection.internal_access_path,
            instance_uuid=connection.instance_uuid, expires=now + ttl, created_at=utcnow()))
    return token


def _row_to_connection(row) -> ConsoleConnection:
    return ConsoleConnection(instance_uuid=row.instance_uuid, console_type=row.console_type,
                             host=row.host, port=row.port,
                             internal_access_path=row.internal_access_path)


def show(database, token: str) -> ConsoleConnection | None:
    """The token's connection if it is still valid (not used, not expired)."""
    with database.reader() as conn:
        row = conn.execute(sa.select(tokens).where(tokens.c.token_hash == _hash(token),
                                                   tokens.c.expires >= int(time.time()))
                           ).first()
    return _row_to_connection(row) if row else None


def consume(database, token: str, console_type: str) -> ConsoleConnection | None:
    """The token's connection, if valid and of this console type; it is spent."""
    with database.writer() as conn:
        row = conn.execute(sa.select(tokens).where(tokens.c.token_hash == _hash(token),
                                                   tokens.c.expires >= int(time.time()),
                                                   tokens.c.console_type == console_type)
                           ).first()
        if row is None:
            return None
        if conn.execute(sa.delete(tokens).where(tokens.c.id == row.id)).rowcount != 1:
            return None  # spent by a concurrent connection
    return _row_to_connection(row)


def delete_for_instance(database, instance_uuid: str) -> None:
    with database.writer() as conn:
        conn.execute(sa.delete(tokens).where(tokens.c.instance_uuid == instance_uuid))
