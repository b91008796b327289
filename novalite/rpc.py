"""oslo.messaging wiring: transport, RPC clients and servers, notifier.

All-in-one (`novalite serve`) uses an in-memory transport inside one process; distributed
services use `transport_url = rabbit://...`. Messages carry JSON-safe primitives only.
"""

import oslo_messaging as messaging
from oslo_config import cfg

from novalite import context as nl_context

IN_PROCESS_URL = "inprocess://"
ALLOWED_EXMODS = ["novalite.exception"]


def register_opts(conf: cfg.ConfigOpts) -> None:
    """Register oslo.messaging's options on our (non-global) ConfigOpts."""
    messaging.set_transport_defaults(control_exchange="novalite")
    # oslo.messaging registers these two groups on the global cfg.CONF only, yet reads them
    # from the ConfigOpts it is given.
    from oslo_messaging._metrics import client as metrics_client
    from oslo_messaging._tracing import client as tracing_client

    for group, opts in (("oslo_messaging_tracing", tracing_client.oslo_messaging_tracing),
                        ("oslo_messaging_metrics", metrics_client.oslo_messaging_metrics)):
        conf.register_opts(opts, group=group)
    from oslo_messaging import opts as messaging_opts

    for group, opts in messaging_opts.list_opts():
        conf.register_opts(opts, group=None if group == "DEFAULT" else group)


def configured_url(conf: cfg.ConfigOpts) -> str | None:
    """The transport_url the operator set, or None (oslo.messaging's default is rabbit://)."""
    default = conf._get_opt_info("transport_url")["opt"].default
    return conf.transport_url if conf.transport_url != default else None


class ContextSerializer(messaging.NoOpSerializer):
    """RequestContext <-> dict on the wire."""

    def serialize_context(self, context):
        if isinstance(context, nl_context.RequestContext):
            return context.to_dict()
        return context or {}

    def deserialize_context(self, context):
        return nl_context.RequestContext.from_dict(context or {})


class Messaging:
    """One process's transports, shared by its RPC clients, servers and notifier."""

    def __init__(self, conf: cfg.ConfigOpts, url: str | None = None):
        self.conf = conf
        self.url = url or conf.transport_url
        self.transport = messaging.get_rpc_transport(conf, url=self.url,
                                                     allowed_remote_exmods=ALLOWED_EXMODS)
        self.notification_transport = messaging.get_notification_transport(conf, url=self.url)
        self.serializer = ContextSerializer()

    def client(self, topic: str, version: str) -> messaging.RPCClient:
        return messaging.get_rpc_client(self.transport, messaging.Target(topic=topic),
                                        version_cap=version, serializer=self.serializer)

    def server(self, topic: str, server: str, endpoints: list):
        target = messaging.Target(topic=topic, server=server)
        return messaging.get_rpc_server(self.transport, target, endpoints,
                                        executor="threading", serializer=self.serializer)

    def notifier(self, publisher_id: str) -> messaging.Notifier:
        return messaging.Notifier(self.notification_transport, publisher_id=publisher_id,
                                  serializer=self.serializer)

    def cleanup(self) -> None:
        self.transport.cleanup()
        self.notification_transport.cleanup()
