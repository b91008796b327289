"""The network service's RPC with its host agents, over the cloud's transport, as
Neutron's: the service casts port_update to the agent of the host a port is bound to
(topic `q-agent-notifier`, server = host), and an agent reports a device wired with
update_device_up/down (topic `q-plugin`, Neutron's plugin topic)."""

import logging

import oslo_messaging as messaging

from novalite import context as nl_context

LOG = logging.getLogger(__name__)

AGENT_TOPIC = "q-agent-notifier"
PLUGIN_TOPIC = "q-plugin"
VERSION = "1.0"
# 1.0: port_update, port_delete (to agents); get_device_details, update_device_up,
#      update_device_down (to the service)


class AgentNotifier:
    """The service's side: tell a host's agent that one of its ports changed."""

    def __init__(self, messaging_):
        self.client = messaging_.client(AGENT_TOPIC, VERSION)

    def _at(self, host: str):
        return self.client.prepare(server=host, version=VERSION)

    def port_update(self, ctxt, port: dict) -> None:
        if port.get("binding:host_id"):
            self._at(port["binding:host_id"]).cast(ctxt, "port_update", port=port)

    def port_delete(self, ctxt, port: dict) -> None:
        if port.get("binding:host_id"):
            self._at(port["binding:host_id"]).cast(ctxt, "port_delete", port_id=port["id"])


class PluginEndpoint:
    """What agents call on the service. The ports domain decides what a report changes
    (a port bound to another host is left alone, as Neutron's update_device_up does)."""

    target = messaging.Target(version=VERSION)

    def __init__(self, ports):
        self.ports = ports

    def get_device_details(self, ctxt, device: str, host: str):
        return self.ports.device_details(nl_context.get_admin_context(), device, host)

    def update_device_up(self, ctxt, device: str, host: str) -> None:
        self.ports.set_device_status(nl_context.get_admin_context(), device, host, "ACTIVE")

    def update_device_down(self, ctxt, device: str, host: str) -> None:
        self.ports.set_device_status(nl_context.get_admin_context(), device, host, "DOWN")


class PluginServer:
    """The service's RPC server on `q-plugin` (one per network API process)."""

    def __init__(self, messaging_, ports, host: str):
        self._server = messaging_.server(PLUGIN_TOPIC, host, [PluginEndpoint(ports)])

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        self._server.stop()

    def wait(self) -> None:
        self._server.wait()


class PluginAPI:
    """The agent's side: report devices to the service."""

    def __init__(self, messaging_):
        self.client = messaging_.client(PLUGIN_TOPIC, VERSION).prepare(version=VERSION)

    def get_device_details(self, ctxt, device: str, host: str):
        return self.client.call(ctxt, "get_device_details", device=device, host=host)

    def update_device_up(self, ctxt, device: str, host: str) -> None:
        self.client.call(ctxt, "update_device_up", device=device, host=host)

    def update_device_down(self, ctxt, device: str, host: str) -> None:
        self.client.call(ctxt, "update_device_down", device=device, host=host)
