"""The `novalite` command."""

import argparse
import logging
import os
import sys

from novalite import conf as nl_conf
from novalite import rpc
from novalite.cmd import signals


def _setup_logging(debug: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO,
                        format="%(asctime)s %(process)d %(levelname)s %(name)s %(message)s")
    for noisy in ("amqp", "kombu", "oslo_messaging", "oslo_service", "stevedore", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _conf(args):
    files = [args.config_file] if getattr(args, "config_file", None) else []
    conf = nl_conf.new_conf(config_files=files)
    if getattr(args, "state_dir", None):
        conf.set_override("state_path", args.state_dir)
    if getattr(args, "host", None):
        conf.set_override("host", args.host)
    return conf


def cmd_serve(args) -> int:
    from novalite.cmd.serve import AllInOne

    conf = _conf(args)
    if args.port:
        conf.set_override("port", args.port, group="api")
    admin_password, demo_password = _bootstrap_passwords(args)
    try:
        AllInOne(conf, computes=args.computes, admin_password=admin_password,
                 demo_password=demo_password).serve_forever()
    except RuntimeError as e:  # e.g. a port in use: say so, without a traceback
        print("novalite serve: %s" % e, file=sys.stderr)
        return 1
    return 0


def _bootstrap_passwords(args):
    """Passwords asked for on the command line or in the environment (else generated for
    new users, and existing users keep theirs)."""
    return (getattr(args, "admin_password", None) or os.environ.get("NOVALITE_ADMIN_PASSWORD"),
            getattr(args, "demo_password", None) or os.environ.get("NOVALITE_DEMO_PASSWORD"))


def cmd_bootstrap(args) -> int:
    from novalite.cmd.serve import prepare_database
    from novalite.identity import bootstrap
    from novalite.identity.api import IdentityAPI

    conf = _conf(args)
    database = prepare_database(conf)
    admin_password, demo_password = _bootstrap_passwords(args)
    identity_api = IdentityAPI(conf, database)
    result = bootstrap.bootstrap(identity_api, conf, admin_password, demo_password)
    identity_api.dispose()
    database.dispose()
    print("identity is bootstrapped; clouds.yaml: %s" % result.clouds_yaml)
    print("EC2 credentials of the demo user: %s" % result.ec2rc)
    # On the terminal only, once: never through logging.
    for user in ("admin", "demo", "service"):
        password = getattr(result, user + "_password")
        if password:
            print("  %s password: %s" % (user, password))
    return 0


def cmd_identity(args) -> int:
    import uvicorn

    from novalite.api.identity.app import IdentityApp
    from novalite.db import database as db_database
    from novalite.identity.api import IdentityAPI

    conf = _conf(args)
    database = db_database.from_conf(conf)
    identity_api = IdentityAPI(conf, database)
    app = IdentityApp(conf, identity_api)
    print("identity API on http://%s:%d/v3" % (conf.identity.listen, conf.identity.port),
          flush=True)
    with signals.survive_uvicorn_shutdown():
        uvicorn.run(app, host=conf.identity.listen, port=conf.identity.port,
                    log_level="warning", access_log=False)
    identity_api.dispose()
    database.dispose()
    return 0


def _run_service(args, build) -> int:
    from novalite.db import database as db_database
    from novalite.rpc import Messaging

    conf = _conf(args)
    if not rpc.configured_url(conf):
        print("transport_url must be set in the config file (e.g. rabbit://...)",
              file=sys.stderr)
        return 2
    database = db_database.from_conf(conf)
    messaging = Messaging(conf)
    svc = build(conf, database, messaging, conf.host)
    svc.start()
    print("%s running on host %s" % (svc.binary, conf.host), flush=True)
    signals.wait_for_stop()
    svc.stop()
    svc.wait()
    messaging.cleanup()
    database.dispose()
    return 0


def cmd_conductor(args) -> int:
    from novalite.cmd import services

    return _run_service(args, services.conductor)


def cmd_scheduler(args) -> int:
    from novalite.cmd import services

    return _run_service(args, services.scheduler)


def cmd_compute(args) -> int:
    from novalite.cmd import services

    return _run_service(args, services.compute)


def _api_process_parts(conf):
    """(database, messaging) of an API process in distributed mode, or None, having said
    why, when no transport_url names the broker the other services listen on."""
    from novalite.db import database as db_database
    from novalite.rpc import Messaging

    if not rpc.configured_url(conf):
        print("transport_url must be set in the config file (e.g. rabbit://...)",
              file=sys.stderr)
        return None
    return db_database.from_conf(conf), Messaging(conf)


def cmd_api(args) -> int:
    """The compute API and the image API of one controller (distributed mode)."""
    from novalite.api import auth
    from novalite.api.app import ComputeApp
    from novalite.api.image.app import ImageApp
    from novalite.cmd.http_servers import HTTPServers
    from novalite.compute.api import ComputeAPI
    from novalite.identity.api import IdentityAPI

    conf = _conf(args)
    parts = _api_process_parts(conf)
    if parts is None:
        return 2
    database, messaging = parts
    identity_api = IdentityAPI(conf, database) if conf.api.auth_strategy == "embedded" \
        else None
    authenticate = auth.from_conf(conf, identity_api)
    compute_api = ComputeAPI(conf, database, messaging)
    servers = HTTPServers()
    servers.add("compute API", ComputeApp(conf, compute_api, authenticate), conf.api.listen,
                conf.api.port)
    servers.add("image API", ImageApp(conf, compute_api.images, authenticate),
                conf.image.listen, conf.image.port)
    servers.start()
    print("compute API on http://%s:%d/v2.1, image API on http://%s:%d" % (
        conf.api.listen, conf.api.port, conf.image.listen, conf.image.port), flush=True)
    signals.wait_for_stop()
    servers.stop()
    messaging.cleanup()
    database.dispose()
    return 0


def cmd_ec2_api(args) -> int:
    """The EC2 API of one controller (distributed mode), on [ec2] listen/port."""
    import uvicorn

    from novalite.api.ec2.app import EC2App
    from novalite.compute.api import ComputeAPI
    from novalite.db import ec2_client_tokens, ec2_ids
    from novalite.identity.api import IdentityAPI

    conf = _conf(args)
    parts = _api_process_parts(conf)
    if parts is None:
        return 2
    database, messaging = parts
    identity_api = IdentityAPI(conf, database)  # EC2 credentials live in its tables
    app = EC2App(conf, ComputeAPI(conf, database, messaging), identity_api,
                 ec2_ids.EC2IdMapper(database), ec2_client_tokens.EC2ClientTokens(database))
    print("EC2 API on http://%s:%d" % (conf.ec2.listen, conf.ec2.port), flush=True)
    with signals.survive_uvicorn_shutdown():
        uvicorn.run(app, host=conf.ec2.listen, port=conf.ec2.port, log_level="warning",
                    access_log=False)
    messaging.cleanup()
    identity_api.dispose()
    database.dispose()
    return 0


def cmd_network_api(args) -> int:
    """The network API (Neutron v2.0) on its own (distributed mode): it needs the database,
    the identity service's to check tokens, and the broker to talk with the hosts' agents
    (network-agent) and tell the compute API of port events."""
    from novalite.api import auth
    from novalite.cmd.http_servers import HTTPServers
    from novalite.cmd.serve import prepare_database
    from novalite.identity.api import IdentityAPI
    from novalite.networking import rpc as network_rpc
    from novalite.networking.api.app import NetworkApp
    from novalite.networking.nova_notifier import NovaNotifier
    from novalite.networking.service import NetworkService
    from novalite.rpc import Messaging

    conf = _conf(args)
    if not rpc.configured_url(conf):
        print("transport_url must be set in the config file (e.g. rabbit://...)",
              file=sys.stderr)
        return 2
    database = prepare_database(conf)
    messaging = Messaging(conf)
    identity_api = IdentityAPI(conf, database) if conf.api.auth_strategy == "embedded" \
        else None
    notifier = NovaNotifier(conf)
    service = NetworkService(database, conf, agents=network_rpc.AgentNotifier(messaging),
                             nova=notifier)
    plugin = network_rpc.PluginServer(messaging, service, conf.host)
    plugin.start()
    servers = HTTPServers()
    servers.add("network API", NetworkApp(conf, service, auth.from_conf(conf, identity_api)),
                conf.network_api.listen, conf.network_api.port)
    servers.start()
    print("network API on http://%s:%d" % (conf.network_api.listen, conf.network_api.port),
          flush=True)
    signals.wait_for_stop()
    servers.stop()
    plugin.stop()
    plugin.wait()
    notifier.stop()
    messaging.cleanup()
    database.dispose()
    return 0


def cmd_network_agent(args) -> int:
    """A compute host's network agent (distributed mode): wires the ports bound to
    [DEFAULT] host and reports them up to the network service over the broker."""
    from novalite.networking.agent import service as network_agent
    from novalite.rpc import Messaging

    conf = _conf(args)
    if not rpc.configured_url(conf):
        print("transport_url must be set in the config file (e.g. rabbit://...)",
              file=sys.stderr)
        return 2
    messaging = Messaging(conf)
    agent = network_agent.from_conf(conf, messaging, conf.host)
    agent.start()
    print("network agent of host %s" % conf.host, flush=True)
    signals.wait_for_stop()
    agent.stop()
    agent.wait()
    messaging.cleanup()
    return 0


def _cmd_console_proxy(args, console_type) -> int:
    """One console proxy (distributed mode): it needs only the database (its tokens)."""
    from novalite.console import proxy
    from novalite.db import database as db_database

    conf = _conf(args)
    database = db_database.from_conf(conf)
    (chosen,) = [p for p in proxy.from_conf(conf, database) if p.console_type == console_type]
    chosen.start()
    print("%s console proxy on %s:%d" % (console_type, *chosen.server.server_address[:2]),
          flush=True)
    signals.wait_for_stop()
    chosen.stop()
    database.dispose()
    return 0


def cmd_novncproxy(args) -> int:
    return _cmd_console_proxy(args, "novnc")


def cmd_serialproxy(args) -> int:
    return _cmd_console_proxy(args, "serial")


def cmd_db_upgrade(args) -> int:
    from novalite.cmd.serve import prepare_database
    from novalite.compute.flavors import FlavorAPI
    from novalite.image import store as image_store
    from novalite.image.api import ImageAPI

    conf = _conf(args)
    database = prepare_database(conf)
    FlavorAPI(database).ensure_defaults()
    ImageAPI(database, image_store.from_conf(conf)).ensure_demo_image()
    print("database schema is up to date")
    return 0


def cmd_config_sample(args) -> int:
    from oslo_config import generator

    gen_conf = generator.cfg.ConfigOpts()
    generator.register_cli_opts(gen_conf)
    gen_conf(["--namespace", "novalite", "--namespace", "oslo.messaging",
              "--namespace", "oslo.policy",
              "--wrap-width", "79"])
    generator.generate(gen_conf, output_file=sys.stdout)
    return 0


def cmd_policy_sample(args) -> int:
    from novalite import policy

    print(policy.sample())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="novalite", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="verbose logging")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_config(p):
        p.add_argument("--config-file", help="novalite.conf (oslo.config format)")
        return p

    serve = with_config(sub.add_parser("serve", help="run the whole cloud in one process"))
    serve.add_argument("--state-dir", default=os.environ.get("NOVALITE_STATE_DIR"),
                       help="where state lives (default ./.novalite)")
    serve.add_argument("--computes", type=int, default=2, help="fake compute hosts (2)")
    serve.add_argument("--port", type=int, help="compute API port (8774)")
    serve.set_defaults(func=cmd_serve)

    for name, func in (("api", cmd_api), ("conductor", cmd_conductor),
                       ("scheduler", cmd_scheduler)):
        p = with_config(sub.add_parser(name, help="run the %s service" % name))
        p.add_argument("--host", help="this node's name (default: [DEFAULT] host)")
        p.set_defaults(func=func)
    identity = with_config(sub.add_parser("identity", help="run the identity API (Keystone "
                                                           "v3 subset) on its own"))
    identity.set_defaults(func=cmd_identity)
    ec2 = with_config(sub.add_parser("ec2-api", help="run the EC2 query API on its own "
                                                      "(distributed mode)"))
    ec2.set_defaults(func=cmd_ec2_api)
    network = with_config(sub.add_parser("network-api", help="run the network API (Neutron "
                                                             "v2.0) on its own"))
    network.set_defaults(func=cmd_network_api)
    agent = with_config(sub.add_parser("network-agent", help="run a compute host's network "
                                                             "agent (distributed mode)"))
    agent.add_argument("--host", required=True, help="the compute host it serves")
    agent.set_defaults(func=cmd_network_agent)
    boot = with_config(sub.add_parser(
        "bootstrap", help="create the admin and demo projects and users and clouds.yaml "
                          "(idempotent)"))
    boot.add_argument("--state-dir", default=os.environ.get("NOVALITE_STATE_DIR"),
                      help="where state lives (default ./.novalite)")
    boot.add_argument("--admin-password", help="set the admin password (env "
                                               "NOVALITE_ADMIN_PASSWORD; default: generated "
                                               "for a new user, kept for an existing one)")
    boot.add_argument("--demo-password", help="set the demo password (env "
                                              "NOVALITE_DEMO_PASSWORD)")
    boot.set_defaults(func=cmd_bootstrap)
    for name, func, what in (("novncproxy", cmd_novncproxy, "VNC (noVNC)"),
                             ("serialproxy", cmd_serialproxy, "serial")):
        with_config(sub.add_parser(name, help="run the %s console proxy (distributed mode)"
                                   % what)).set_defaults(func=func)
    compute = with_config(sub.add_parser("compute", help="run a compute host"))
    compute.add_argument("--host", required=True, help="the compute host's name")
    compute.set_defaults(func=cmd_compute)

    db = sub.add_parser("db", help="database management")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = with_config(db_sub.add_parser("upgrade", help="create or migrate the schema"))
    upgrade.add_argument("--state-dir", help="state directory (SQLite default)")
    upgrade.set_defaults(func=cmd_db_upgrade)

    config = sub.add_parser("config", help="configuration")
    config_sub = config.add_subparsers(dest="config_command", required=True)
    config_sub.add_parser("sample", help="print every option with its help and default"
                          ).set_defaults(func=cmd_config_sample)

    policy_cmd = sub.add_parser("policy", help="policy")
    policy_sub = policy_cmd.add_subparsers(dest="policy_command", required=True)
    policy_sub.add_parser("sample", help="print the default rules as a policy.yaml"
                          ).set_defaults(func=cmd_policy_sample)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    _setup_logging(args.debug)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
