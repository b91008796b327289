"""`novalite serve`: the whole cloud in one process (API, conductor, scheduler, N fake
compute hosts) on SQLite and an in-memory message transport."""

import logging
import os

from novalite import rpc
from novalite.api import auth
from novalite.api.app import ComputeApp
from novalite.api.ec2.app import EC2App
from novalite.api.identity.app import IdentityApp
from novalite.api.image.app import ImageApp
from novalite.cmd import services, signals
from novalite.cmd.http_servers import HTTPServers
from novalite.compute.api import ComputeAPI
from novalite.console import proxy as console_proxy
from novalite.db import database as db_database
from novalite.db import ec2_client_tokens, ec2_ids, migration
from novalite.identity import bootstrap, passwords
from novalite.identity.api import IdentityAPI
from novalite.networking import rpc as network_rpc
from novalite.networking import topology
from novalite.networking.agent import service as network_agent
from novalite.networking.api.app import NetworkApp
from novalite.networking.db import migration as network_migration
from novalite.networking.nova_notifier import NovaNotifier
from novalite.networking.service import NetworkService
from novalite.rpc import Messaging

LOG = logging.getLogger(__name__)


def prepare_database(conf):
    """Migrate the schema (the cloud's and the network service's tables) on first start."""
    database = db_database.from_conf(conf)
    migration.upgrade(database)
    network_migration.upgrade(database)
    return database


class AllInOne:
    def __init__(self, conf, computes: int = 2, admin_password: str | None = None,
                 demo_password: str | None = None):
        self.conf = conf
        self.computes = computes
        self.database = prepare_database(conf)
        self.identity_api = IdentityAPI(conf, self.database)
        # Idempotent: creates the admin and demo users and clouds.yaml on first start. The
        # service user's password is set anew at each start (unless configured) and given to
        # the compute hosts in-process, so it is never written anywhere.
        service_password = conf.service_user.password or passwords.generate_password()
        self.bootstrap = bootstrap.bootstrap(self.identity_api, conf, admin_password,
                                             demo_password, service_password)
        # One process: messages stay in memory unless the operator chose a broker.
        self.messaging = Messaging(conf, rpc.configured_url(conf) or rpc.IN_PROCESS_URL)
        self.compute_api = ComputeAPI(conf, self.database, self.messaging, service_password)
        self.compute_api.flavors.ensure_defaults()
        self.compute_api.images.ensure_demo_image()
        self.services = [services.conductor(conf, self.database, self.messaging, conf.host),
                         services.scheduler(conf, self.database, self.messaging, conf.host)]
        hosts = ["compute%d" % (i + 1) for i in range(computes)]
        self.services += [services.compute(conf, self.database, self.messaging, host,
                                           service_password) for host in hosts]
        # The network service, its RPC with the hosts' agents, and one agent per host
        # (its driver [network_agent] driver's: linuxbridge for libvirt hosts by default).
        self.nova_notifier = NovaNotifier(conf, service_password)
        self.network_service = NetworkService(
            self.database, conf, agents=network_rpc.AgentNotifier(self.messaging),
            nova=self.nova_notifier)
        if conf.network_api.default_topology:
            topology.ensure_default(self.network_service, conf,
                                    self.identity_api.projects.ensure("admin").id,
                                    self.identity_api.projects.ensure("demo").id)
        self.network_rpc = [network_rpc.PluginServer(self.messaging, self.network_service,
                                                     conf.host)]
        self.network_rpc += [network_agent.from_conf(conf, self.messaging, host)
                             for host in hosts]
        authenticate = auth.from_conf(conf, self.identity_api)
        self.app = ComputeApp(conf, self.compute_api, authenticate)
        self.image_app = ImageApp(conf, self.compute_api.images, authenticate)
        self.identity_app = IdentityApp(conf, self.identity_api)
        self.ec2_app = EC2App(conf, self.compute_api, self.identity_api,
                              ec2_ids.EC2IdMapper(self.database),
                              ec2_client_tokens.EC2ClientTokens(self.database))
        self.http = HTTPServers()
        self.http.add("identity API", self.identity_app, conf.identity.listen,
                      conf.identity.port)
        self.http.add("compute API", self.app, conf.api.listen, conf.api.port)
        self.http.add("image API", self.image_app, conf.image.listen, conf.image.port)
        self.http.add("EC2 API", self.ec2_app, conf.ec2.listen, conf.ec2.port)
        self.network_app = NetworkApp(conf, self.network_service, authenticate)
        self.http.add("network API", self.network_app, conf.network_api.listen,
                      conf.network_api.port)
        self.console_proxies = console_proxy.from_conf(conf, self.database)

    def start_services(self) -> None:
        for svc in self.network_rpc + self.services:
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
        for proxy in self.console_proxies:
            proxy.start()

    def stop(self) -> None:
        for proxy in self.console_proxies:
            proxy.stop()
        self.http.stop()
        self.stop_services()

    def stop_services(self) -> None:
        # Stop all, then wait for all: each RPC server takes up to a second to notice.
        for step in ("stop", "wait"):
            for svc in reversed(self.network_rpc + self.services):
                try:
                    getattr(svc, step)()
                except Exception:
                    LOG.exception("Stopping %s failed", getattr(svc, "binary", svc))
        self.nova_notifier.stop()
        self.messaging.cleanup()
        self.identity_api.dispose()
        self.database.dispose()

    @property
    def compute_url(self) -> str:
        return "http://%s:%d/v2.1" % (self.conf.api.listen, self.conf.api.port)

    @property
    def identity_url(self) -> str:
        return "http://%s:%d/v3" % (self.conf.identity.listen, self.conf.identity.port)

    @property
    def image_url(self) -> str:
        return "http://%s:%d" % (self.conf.image.listen, self.conf.image.port)

    @property
    def network_url(self) -> str:
        return "http://%s:%d" % (self.conf.network_api.listen, self.conf.network_api.port)

    @property
    def ec2_url(self) -> str:
        return "http://%s:%d" % (self.conf.ec2.listen, self.conf.ec2.port)

    def _new_passwords(self) -> list[str]:
        """Passwords set by this start, shown once on the terminal (never logged)."""
        lines = ["  Password      %s: %s" % (user, password) for user, password in (
            ("admin", self.bootstrap.admin_password), ("demo", self.bootstrap.demo_password))
            if password]
        if lines:
            lines.append("                (shown once; also in clouds.yaml)")
        return lines

    def banner(self) -> str:
        state = os.path.abspath(self.conf.state_path)
        return "\n".join([
            "",
            "novalite is running (all-in-one: API, conductor, scheduler, %d fake compute "
            "hosts)" % self.computes,
            "  Identity API  %s" % self.identity_url,
            "  Compute API   %s" % self.compute_url,
            "  Image API     %s" % self.image_url,
            "  Network API   %s (Neutron v2.0; networks public and private, router1)"
            % self.network_url,
            "  EC2 API       %s (credentials of user demo: %s)" % (
                self.ec2_url, self.bootstrap.ec2rc),
            "  State         %s (SQLite database, host directories)" % state,
            "  clouds.yaml   %s (clouds novalite and novalite-admin)"
            % self.bootstrap.clouds_yaml,
            *self._new_passwords(),
            "  Try it        OS_CLIENT_CONFIG_FILE=%s openstack --os-cloud novalite "
            "server list" % self.bootstrap.clouds_yaml,
            "  Stop          Ctrl-C (state is kept; start again to resume)",
            "",
        ])
