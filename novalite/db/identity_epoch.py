"""The identity epoch: one counter that every identity change increments (see
novalite/identity/token_cache.py for why)."""

import sqlalchemy as sa

from novalite.db.models import identity_epoch

# Plain SQL without parameters, so the same string works on every DB-API driver.
_READ = "SELECT epoch FROM identity_epoch WHERE id = 1"


class EpochReader:
    """Reads the epoch; called on every authenticated API request, so it costs one round
    trip and no more: DB-API directly (a SQLAlchemy Connection costs ~5x the query on
    SQLite), and on a server database its own small pool of autocommit connections with no
    pre-ping and no rollback on return (each would be another round trip). A connection the
    server dropped is replaced and the read tried once more."""

    def __init__(self, database):
        self._owned = not database.is_sqlite
        if self._owned:
            self._engine = sa.create_engine(
                database.url, pool_size=4, max_overflow=28, pool_recycle=3600,
                pool_pre_ping=False, pool_reset_on_return=None, isolation_level="AUTOCOMMIT")
        else:  # SQLite readers are autocommit already, and local
            self._engine = database.reader_engine

    def __call__(self) -> int:
        for attempt in (1, 2):
            conn = self._engine.raw_connection()
            try:
                cursor = conn.cursor()
                cursor.execute(_READ)
                row = cursor.fetchone()
                cursor.close()
                return row[0] if row else 0
            except self._engine.dialect.loaded_dbapi.Error:
                conn.invalidate()
                if attempt == 2:
                    raise
            finally:
                conn.close()
        return 0  # not reached

    def dispose(self) -> None:
        if self._owned:
            self._engine.dispose()


def read(database) -> int:
    """One read with a throwaway reader (tests, tools); services keep an EpochReader."""
    reader = EpochReader(database)
    try:
        return reader()
    finally:
        reader.dispose()


def bump(conn) -> None:
    """Increment the epoch inside the caller's write transaction, so the change and the
    signal that cached validations are stale commit together."""
    conn.execute(identity_epoch.update().where(identity_epoch.c.id == 1)
                 .values(epoch=identity_epoch.c.epoch + 1))
