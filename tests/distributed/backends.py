"""Fresh, uniquely named resources on the shared services of the machine: a RabbitMQ vhost
and a MariaDB or PostgreSQL database, created for one test run and removed afterwards.

Each check raises Unavailable with a message saying which service is missing, so the
conftest can skip (or fail, in CI) with that message.
"""

import os
import shutil
import socket
import subprocess
import uuid

import httpx
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

RABBIT_HOST, RABBIT_PORT, RABBIT_MANAGEMENT_PORT = "127.0.0.1", 5672, 15672
RABBIT_USER, RABBIT_PASSWORD = "guest", "guest"


class Unavailable(Exception):
    """A service the distributed tests need is not there; the message says which and why."""


def unique_name() -> str:
    # Short enough for MySQL (64) and PostgreSQL (63); lower case so no quoting surprises.
    return "novalite_test_%d_%s" % (os.getpid(), uuid.uuid4().hex[:8])


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


class RabbitMQ:
    """Adds and deletes vhosts through the management HTTP API when the plugin is enabled,
    else with rabbitmqctl (which needs the broker's Erlang cookie, i.e. root or rabbitmq)."""

    def __init__(self):
        self._http: httpx.Client | None = None

    def check(self) -> None:
        where = "%s:%d" % (RABBIT_HOST, RABBIT_PORT)
        if not _port_open(RABBIT_HOST, RABBIT_PORT):
            raise Unavailable("RabbitMQ is not listening on %s" % where)
        if _port_open(RABBIT_HOST, RABBIT_MANAGEMENT_PORT):
            http = httpx.Client(base_url="http://%s:%d/api" % (RABBIT_HOST,
                                                               RABBIT_MANAGEMENT_PORT),
                                auth=(RABBIT_USER, RABBIT_PASSWORD), timeout=30)
            if http.get("/whoami").status_code == 200:
                self._http = http
                return
            http.close()
        if shutil.which("rabbitmqctl") is None:
            raise Unavailable("RabbitMQ on %s: cannot create a vhost (no management API on "
                              "port %d and no rabbitmqctl)" % (where, RABBIT_MANAGEMENT_PORT))
        try:
            self._ctl("list_vhosts")
        except Unavailable as e:
            raise Unavailable("RabbitMQ on %s: cannot create a vhost: %s" % (where, e)) from e

    @staticmethod
    def _ctl(*args) -> None:
        try:
            result = subprocess.run(["rabbitmqctl", "-q", *args], capture_output=True,
                                    text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise Unavailable("rabbitmqctl %s: %s" % (args[0], e)) from e
        if result.returncode != 0:
            raise Unavailable("rabbitmqctl %s failed: %s" % (
                args[0], (result.stderr or result.stdout).strip()[-500:]))

    def add_vhost(self, name: str) -> str:
        """Create the vhost, let guest use it, and return its transport_url."""
        if self._http is not None:
            self._http.put("/vhosts/%s" % name).raise_for_status()
            self._http.put("/permissions/%s/%s" % (name, RABBIT_USER), json={
                "configure": ".*", "write": ".*", "read": ".*"}).raise_for_status()
        else:
            self._ctl("add_vhost", name)
            self._ctl("set_permissions", "-p", name, RABBIT_USER, ".*", ".*", ".*")
        return "rabbit://%s:%s@%s:%d/%s" % (RABBIT_USER, RABBIT_PASSWORD, RABBIT_HOST,
                                            RABBIT_PORT, name)

    def delete_vhost(self, name: str) -> None:
        """Delete the vhost with its queues and exchanges (closing its connections)."""
        if self._http is not None:
            resp = self._http.delete("/vhosts/%s" % name)
            if resp.status_code != 404:
                resp.raise_for_status()
        else:
            self._ctl("delete_vhost", name)


class _SQLServer:
    """A database server reached with an administrator's URL."""

    name = ""
    label = ""
    admin_url = ""

    def _engine(self) -> sa.Engine:
        return sa.create_engine(self.admin_url, poolclass=NullPool,
                                isolation_level="AUTOCOMMIT",
                                connect_args={"connect_timeout": 5})

    def check(self) -> None:
        engine = self._engine()
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError as e:
            raise Unavailable("%s is not reachable as %s: %s" % (
                self.label, engine.url.render_as_string(hide_password=True),
                str(e.orig or e).strip().splitlines()[0])) from e
        finally:
            engine.dispose()

    def create(self, db_name: str) -> str:
        """Create the database; return the URL the services use."""
        engine = self._engine()
        try:
            with engine.connect() as conn:
                conn.execute(sa.text(self._create_sql(db_name)))
        finally:
            engine.dispose()
        return engine.url.set(database=db_name).render_as_string(hide_password=False)

    def drop(self, db_name: str) -> None:
        engine = self._engine()
        try:
            with engine.connect() as conn:
                self._disconnect(conn, db_name)
                conn.execute(sa.text("DROP DATABASE IF EXISTS %s" % db_name))
        finally:
            engine.dispose()

    def _create_sql(self, db_name: str) -> str:
        return "CREATE DATABASE %s" % db_name

    def _disconnect(self, conn, db_name: str) -> None:
        """End sessions still using the database (a process that did not exit)."""


class MariaDB(_SQLServer):
    name = "mariadb"
    label = "MariaDB"
    admin_url = "mysql+pymysql://root@127.0.0.1:3306/"

    def _create_sql(self, db_name: str) -> str:
        return "CREATE DATABASE %s CHARACTER SET utf8mb4" % db_name

    def _disconnect(self, conn, db_name: str) -> None:
        for (session_id,) in conn.execute(sa.text(
                "SELECT id FROM information_schema.processlist WHERE db = :db"),
                {"db": db_name}):
            try:
                conn.execute(sa.text("KILL %d" % session_id))
            except sa.exc.OperationalError:
                pass  # it ended by itself meanwhile


class PostgreSQL(_SQLServer):
    name = "postgresql"
    label = "PostgreSQL"
    admin_url = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

    def _disconnect(self, conn, db_name: str) -> None:
        conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = :db AND pid <> pg_backend_pid()"),
                     {"db": db_name})


SQL_SERVERS = {server.name: server for server in (MariaDB(), PostgreSQL())}
