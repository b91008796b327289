"""The agent process's loop: port_update casts from the service for ports bound to this
host go to the agent's driver, and what it wired is reported with update_device_up, as
Neutron's L2 agents do. The driver is per host kind ([network_agent] driver: noop for fake
hosts, linuxbridge for libvirt ones). The agent reports itself every report_interval (the
service binds ports only to hosts with a live agent); its first report is followed by a
resync of the ports already bound here.

A driver's plug(port) may answer False: the port's device is not there yet (a tap device
appears when libvirt starts the guest, after the port is bound). The agent then tries
again every [network_agent] plug_retry_interval, for up to vif_plugging_timeout, as
Neutron's Linux bridge agent polls for its devices. Security group changes the service
casts here are handed to the driver (security_groups_changed), which applies again the
rules of the ports it wired that they touch.

The driver interface: agent_type, configurations() (its "vif_type" is what ports bound to
this host get), plug(port) -> bool, unplug(port_id), security_groups_changed(group_ids),
and start(plugin) / stop() around the agent's life (stop removes what it made)."""

import logging
import threading
import time

import oslo_messaging as messaging

from novalite import context as nl_context
from novalite.conf import network_agent as agent_conf
from novalite.networking import rpc
from novalite.networking.agent import linuxbridge, noop

LOG = logging.getLogger(__name__)
DRIVERS = {"noop": noop.NoopDriver, "linuxbridge": linuxbridge.LinuxBridgeDriver}


class _Endpoint:
    target = messaging.Target(version=rpc.VERSION)

    def __init__(self, agent):
        self.agent = agent

    def port_update(self, ctxt, port: dict) -> None:
        self.agent.port_update(port)

    def port_delete(self, ctxt, port_id: str) -> None:
        self.agent.port_delete(port_id)

    def security_groups_rule_updated(self, ctxt, security_groups: list[str]) -> None:
        self.agent.security_groups_changed(security_groups)

    def security_groups_member_updated(self, ctxt, security_groups: list[str]) -> None:
        self.agent.security_groups_changed(security_groups)


class Agent:
    def __init__(self, messaging_, host: str, driver, report_interval: float = 10,
                 retry_interval: float = 0.5, retry_for: float = 300):
        self.host = host
        self.driver = driver
        self.report_interval = report_interval
        self.retry_interval = retry_interval
        self.retry_for = retry_for
        self.plugin = rpc.PluginAPI(messaging_)
        self._server = messaging_.server(rpc.AGENT_TOPIC, host, [_Endpoint(self)])
        self._stop = threading.Event()
        self._reporter = None
        self._retrier = None
        self._pending = {}  # port id -> (port, monotonic deadline): plug() said not yet
        self._lock = threading.Lock()

    @property
    def binary(self) -> str:
        return "novalite-network-agent"

    def _state(self) -> dict:
        return {"agent_type": self.driver.agent_type, "binary": self.binary,
                "topic": rpc.AGENT_TOPIC, "host": self.host,
                "configurations": self.driver.configurations()}

    def _report(self, start: bool, timeout: float | None = None) -> bool:
        try:
            self.plugin.report_state(nl_context.get_admin_context(), self._state(),
                                     start_flag=start, timeout=timeout)
            if start:
                self._resync()
        except Exception as e:  # the service away: try again at the next beat
            LOG.warning("Network agent on %s could not report to the service: %s",
                        self.host, e)
            return False
        return True

    def _report_loop(self, started: bool) -> None:
        while not self._stop.wait(self.report_interval):
            started = self._report(start=not started) or started

    def _resync(self) -> None:
        """The ports bound here, wired (again: a driver's wiring goes when its agent
        stops) and reported up."""
        for port in self.plugin.get_devices_on_host(nl_context.get_admin_context(),
                                                    self.host):
            self.port_update(port)

    def port_update(self, port: dict) -> None:
        if port.get("binding:host_id") != self.host:
            return  # moved on since the cast
        with self._lock:
            self._pending.pop(port["id"], None)
        if not self._plug(port):
            with self._lock:
                self._pending[port["id"]] = (port, time.monotonic() + self.retry_for)

    def _plug(self, port: dict) -> bool:
        """True once the driver wired the port (then reported up) or failed for good."""
        try:
            wired = self.driver.plug(port)
        except Exception:
            LOG.exception("Agent on %s could not wire port %s", self.host, port["id"])
            return True
        if wired:
            self.plugin.update_device_up(nl_context.get_admin_context(), port["id"],
                                         self.host)
        return wired

    def _retry_loop(self) -> None:
        """The ports whose devices were not there yet, tried again until they are."""
        while not self._stop.wait(self.retry_interval):
            with self._lock:
                pending = list(self._pending.values())
            for port, deadline in pending:
                if self._stop.is_set():
                    return
                done = self._plug(port)
                with self._lock:
                    if self._pending.get(port["id"], (None,))[0] is not port:
                        continue  # updated or deleted meanwhile
                    if done:
                        del self._pending[port["id"]]
                    elif time.monotonic() > deadline:
                        del self._pending[port["id"]]
                        LOG.warning("Agent on %s gave up on port %s: its device did not "
                                    "appear in %ss", self.host, port["id"], self.retry_for)

    def port_delete(self, port_id: str) -> None:
        with self._lock:
            self._pending.pop(port_id, None)
        try:
            self.driver.unplug(port_id)
        except Exception:
            LOG.exception("Agent on %s could not unwire port %s", self.host, port_id)

    def security_groups_changed(self, group_ids: list[str]) -> None:
        try:
            self.driver.security_groups_changed(group_ids)
        except Exception:
            LOG.exception("Agent on %s could not apply security groups %s", self.host,
                          group_ids)

    def start(self) -> None:
        self.driver.start(self.plugin)
        self._server.start()
        # The first report at once (the service binds ports here only after it), briefly:
        # a service not up yet is tried again at each beat.
        started = self._report(start=True, timeout=5)
        self._reporter = threading.Thread(target=self._report_loop, args=(started,),
                                          daemon=True, name="network-agent-%s" % self.host)
        self._reporter.start()
        self._retrier = threading.Thread(target=self._retry_loop, daemon=True,
                                         name="network-agent-plug-%s" % self.host)
        self._retrier.start()
        LOG.info("Network agent (%s) started on host %s", type(self.driver).__name__,
                 self.host)

    def stop(self) -> None:
        self._stop.set()
        self._server.stop()
        try:
            self.driver.stop()  # what it made goes with it
        except Exception:
            LOG.exception("Agent on %s could not clean up", self.host)

    def wait(self) -> None:
        self._server.wait()
        for thread in (self._reporter, self._retrier):
            if thread is not None:
                thread.join(timeout=5)


def from_conf(conf, messaging_, host: str, driver: str | None = None) -> Agent:
    """host's agent, its driver `driver` or else [network_agent] driver's."""
    name = driver or agent_conf.driver_of(conf)
    return Agent(messaging_, host, DRIVERS[name](conf, host), conf.report_interval,
                 retry_interval=conf.network_agent.plug_retry_interval,
                 retry_for=max(conf.vif_plugging_timeout, 60))
