"""The agent process's loop: port_update casts from the service for ports bound to this
host go to the agent's driver, and what it wired is reported with update_device_up, as
Neutron's L2 agents do. The driver is per host kind (noop for fake hosts)."""

import logging

import oslo_messaging as messaging

from novalite import context as nl_context
from novalite.networking import rpc
from novalite.networking.agent import noop

LOG = logging.getLogger(__name__)
DRIVERS = {"noop": noop.NoopDriver}


class _Endpoint:
    target = messaging.Target(version=rpc.VERSION)

    def __init__(self, agent):
        self.agent = agent

    def port_update(self, ctxt, port: dict) -> None:
        self.agent.port_update(port)

    def port_delete(self, ctxt, port_id: str) -> None:
        self.agent.port_delete(port_id)


class Agent:
    def __init__(self, messaging_, host: str, driver):
        self.host = host
        self.driver = driver
        self.plugin = rpc.PluginAPI(messaging_)
        self._server = messaging_.server(rpc.AGENT_TOPIC, host, [_Endpoint(self)])

    def port_update(self, port: dict) -> None:
        if port.get("binding:host_id") != self.host:
            return  # moved on since the cast
        ctxt = nl_context.get_admin_context()
        try:
            wired = self.driver.plug(port)
        except Exception:
            LOG.exception("Agent on %s could not wire port %s", self.host, port["id"])
            return
        if wired:
            self.plugin.update_device_up(ctxt, port["id"], self.host)

    def port_delete(self, port_id: str) -> None:
        try:
            self.driver.unplug(port_id)
        except Exception:
            LOG.exception("Agent on %s could not unwire port %s", self.host, port_id)

    def start(self) -> None:
        self._server.start()
        LOG.info("Network agent (%s) started on host %s", type(self.driver).__name__,
                 self.host)

    def stop(self) -> None:
        self._server.stop()

    def wait(self) -> None:
        self._server.wait()


def from_conf(conf, messaging_, host: str, driver: str = "noop") -> Agent:
    return Agent(messaging_, host, DRIVERS[driver](conf, host))
