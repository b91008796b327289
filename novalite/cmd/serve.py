"""`novalite serve`: the whole cloud in one process (API, conductor, scheduler, N fake
compute hosts) on SQLite and an in-memory message transport."""

import logging
import os

from novalite import rpc
from novalite.api import auth
from novalite.api.app import ComputeApp
from novalite.api.image.app import ImageApp
from novalite.cmd import services, signals
from novalite.cmd.http_servers import HTTPServers
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
        authenticate = auth.from_conf(conf)
        self.app = ComputeApp(conf, self.compute_api, authenticate)
        self.image_app = ImageApp(conf, self.compute_api.images, authenticate)
        self.http = HTTPServers()
        self.http.add("compute API", self.app, conf.api.listen, conf.api.port)
        self.http.add("image API", self.image_app, conf.image.listen, conf.image.port)

    def start_services(self) -> None:
        for svc in self.services:
            svc.start()

    def serve_forever(self) -> None:
        self.start_in_thread()
        print(self.banner(), flush=True)
        try:
            signals.wait_for_stop()
        finally:
            self.stop()

    def start_in_thread(self) -> None:
        """Start the services and the HTTP APIs; returns once the APIs listen."""
        self.start_services()
        try:
            self.http.start()
        except RuntimeError:
            self.stop_services()
            raise

    def stop(self) -> None:
        self.http.stop()
        self.stop_services()

    def stop_services(self) -> None:
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

    @property
    def image_url(self) -> str:
        return "http://%s:%d" % (self.conf.image.listen, self.conf.image.port)

    def banner(self) -> str:
        state = os.path.abspath(self.conf.state_path)
        return "\n".join([
            "",
            "novalite is running (all-in-one: API, conductor, scheduler, %d fake compute "
            "hosts)" % self.computes,
            "  Compute API   %s" % self.compute_url,
            "  Image API     %s" % self.image_url,
            "  State         %s (SQLite database, host directories)" % state,
            "  Try it        curl -s -H 'X-Auth-Token: admin:admin' %s/servers" %
            self.compute_url,
            "                (auth is noauth2 for now: token 'user:project'; 'admin' is admin)",
            "  Stop          Ctrl-C (state is kept; start again to resume)",
            "",
        ])
