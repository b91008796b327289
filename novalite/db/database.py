"""Engines and transactions.

On SQLite, reads run without a transaction (each SELECT sees a consistent snapshot in WAL
mode) and writes take the write lock up front (BEGIN IMMEDIATE), so concurrent writers queue
instead of failing when a read lock cannot be upgraded. Writers of one process also queue on
a Python lock first: SQLite's own busy handler sleeps for milliseconds between retries, which
under the all-in-one's many writer threads cost more than the writes themselves.
"""

import contextlib
import logging
import os
import threading

import orjson
import sqlalchemy as sa
from sqlalchemy import event

LOG = logging.getLogger(__name__)

# JSON columns (flavor, metadata, network_info ...) are decoded for every row listed.
# hide_parameters: a logged database error must not carry values such as password hashes.
_JSON = {"json_serializer": lambda value: orjson.dumps(value).decode(),
         "json_deserializer": orjson.loads, "hide_parameters": True}


def default_url(state_path: str) -> str:
    return "sqlite:///" + os.path.join(os.path.abspath(state_path), "novalite.sqlite")


class Database:
    def __init__(self, url: str, pool_size: int = 10, max_overflow: int = 20,
                 echo: bool = False):
        self.url = sa.engine.make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self._write_lock = threading.Lock() if self.is_sqlite else contextlib.nullcontext()
        if self.is_sqlite:
            self.writer_engine = self._sqlite_engine(url, echo, immediate=True)
            self.reader_engine = self._sqlite_engine(url, echo, immediate=False)
        else:
            kwargs = {"pool_size": pool_size, "max_overflow": max_overflow,
                      "pool_pre_ping": True, "pool_recycle": 3600, "echo": echo, **_JSON}
            if self.url.get_backend_name() == "mysql":
                kwargs["isolation_level"] = "READ COMMITTED"
            self.writer_engine = self.reader_engine = sa.create_engine(url, **kwargs)

    @staticmethod
    def _sqlite_engine(url, echo, immediate):
        engine = sa.create_engine(url, echo=echo, pool_size=20, max_overflow=40,
                                  connect_args={"check_same_thread": False, "timeout": 30},
                                  **_JSON)

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            if immediate:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    @contextlib.contextmanager
    def reader(self):
        with self.reader_engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def writer(self, conn=None):
        """A write transaction; given the connection of one already open, join it (so
        several steps can be committed together)."""
        if conn is not None:
            yield conn
            return
        with self._write_lock, self.writer_engine.begin() as conn:
            yield conn

    def engines(self):
        return {self.reader_engine, self.writer_engine}

    def dispose(self):
        for engine in self.engines():
            engine.dispose()


def from_conf(conf) -> Database:
    url = conf.database.connection or default_url(conf.state_path)
    if url.startswith("sqlite"):
        os.makedirs(os.path.abspath(conf.state_path), exist_ok=True)
    return Database(url, pool_size=conf.database.max_pool_size,
                    max_overflow=conf.database.max_overflow, echo=conf.database.debug_sql)
