"""`novalite serve`: the whole cloud in one process (API, conductor, scheduler, N fake
compute hosts) on SQLite and an in-memory message transport."""

import logging
import os
import threading
import time

import uvicorn

from novalite import rpc
from novalite.api.app import ComputeApp
from novalite.cmd import services, signals
from novalite.compute.api import ComputeAPI
from novalite.db import database as db_database
from novalite.db import migration
from novalite.rpc import Messaging

LOG = logging.getLogger(__name__)


def prepare_database(conf):
    """Migrate the schema and create default flavors and the demo image on first start."""
    database = db_database.from_conf(conf)
    migration.upgrade(database)
    return database


class AllInOne:
    def __init__(self, conf, computes: int = 2):
        self.conf = conf
        self.computes = computes
        self.database = prepare_database(conf)
        # One process: messages stay in memory unless the operator chose a broker.
        self.messaging = Messaging(conf, rpc.configured_url(conf) or rpc.IN_PROCESS_URL)
        self.compute_api = ComputeAPI(conf, self.database, self.messaging)
        self.compute_api.flavors.ensure_defaults()
        self.compute_api.images.ensure_demo_image()
        self.services = [services.conductor(conf, self.database, self.messaging, conf.host),
                         services.scheduler(conf, self.database, self.messaging, conf.host)]
        self.services += [services.compute(conf, self.database, self.messaging,
                                           "compute%d" % (i + 1)) for i in range(computes)]
        self.app = ComputeApp(conf, self.compute_api)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start_services(self) -> None:
        for svc in self.services:
            svc.start()

    def _uvicorn(self) -> uvicorn.Server:
        config = uvicorn.Config(self.app, host=self.conf.api.listen, port=self.conf.api.port,
                                log_level="warning", access_log=False, lifespan="on")
        return uvicorn.Server(config)

    def serve_forever(self) -> None:
        self.start_services()
        self._server = self._uvicorn()
        print(self.banner(), flush=True)
        try:
            with signals.survive_uvicorn_shutdown():
                self._server.run()
        finally:
            self.stop()

    def start_in_thread(self) -> None:
        """For tests: serve from a background thread; returns when the API answers."""
        self.start_services()
        self._server = self._uvicorn()
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("compute API did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        # Stop all, then wait for all: each RPC server takes up to a second to notice.
        for step in ("stop", "wait"):
            for svc in reversed(self.services):
                try:
                    getattr(svc, step)()
                except Exception:
                    LOG.exception("Stopping %s failed", svc.binary)
        self.messaging.cleanup()
        self.database.dispose()

    @property
    def compute_url(self) -> str:
        return "http://%s:%d/v2.1" % (self.conf.api.listen, self.conf.api.port)

    def banner(self) -> str:
        state = os.path.abspath(self.conf.state_path)
        return "\n".join([
            "",
            "novalite is running (all-in-one: API, conductor, scheduler, %d fake compute "
            "hosts)" % self.computes,
            "  Compute API   %s" % self.compute_url,
            "  State         %s (SQLite database, host directories)" % state,
            "  Try it        curl -s -H 'X-Auth-Token: admin:admin' %s/servers" %
            self.compute_url,
            "                (auth is noauth2 for now: token 'user:project'; 'admin' is admin)",
            "  Stop          Ctrl-C (state is kept; start again to resume)",
            "",
        ])
