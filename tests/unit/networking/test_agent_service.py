"""The host agent's loop (networking/agent/service.py): a port whose device is not there
yet is tried again until its driver wires it, then reported up; a deleted one is not."""

import threading
import time

from novalite.networking.agent import service


class _Messaging:
    def server(self, topic, host, endpoints):
        return _Server()

    def client(self, topic, version):
        return _Client()


class _Server:
    def start(self):
        pass

    def stop(self):
        pass

    def wait(self):
        pass


class _Client:
    def __init__(self):
        self.calls = []

    def prepare(self, **kw):
        return self

    def call(self, ctxt, method, **kw):
        self.calls.append((method, kw))
        return [] if method == "get_devices_on_host" else None


class _LateDriver:
    """A tap device that appears at the driver's third look."""
    agent_type = "test"

    def __init__(self):
        self.looks = {}
        self.unplugged = []
        self.stopped = threading.Event()

    def configurations(self):
        return {"vif_type": "bridge"}

    def start(self, plugin):
        pass

    def stop(self):
        self.stopped.set()

    def plug(self, port):
        self.looks[port["id"]] = self.looks.get(port["id"], 0) + 1
        return self.looks[port["id"]] >= 3

    def unplug(self, port_id):
        self.unplugged.append(port_id)

    def security_groups_changed(self, group_ids):
        pass


def _up(agent):
    return [kw["device"] for method, kw in agent.plugin.client.calls
            if method == "update_device_up"]


def _agent(driver, retry_for=30):
    agent = service.Agent(_Messaging(), "h1", driver, report_interval=60,
                          retry_interval=0.05, retry_for=retry_for)
    agent.start()
    return agent


def test_a_port_is_tried_again_until_its_device_is_there():
    driver = _LateDriver()
    agent = _agent(driver)
    try:
        agent.port_update({"id": "p1", "binding:host_id": "h1"})
        deadline = time.monotonic() + 5
        while not _up(agent) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _up(agent) == ["p1"]
        assert driver.looks["p1"] == 3
        time.sleep(0.2)
        assert driver.looks["p1"] == 3  # no more tries once wired
    finally:
        agent.stop()
        agent.wait()
    assert driver.stopped.is_set()


def test_a_deleted_port_is_not_tried_again_nor_one_bound_elsewhere():
    driver = _LateDriver()
    agent = _agent(driver)
    try:
        agent.port_update({"id": "p2", "binding:host_id": "h2"})
        agent.port_update({"id": "p1", "binding:host_id": "h1"})
        agent.port_delete("p1")
        time.sleep(0.3)
        assert "p2" not in driver.looks
        assert driver.looks["p1"] == 1 and driver.unplugged == ["p1"]
        assert _up(agent) == []
    finally:
        agent.stop()
        agent.wait()


def test_the_agent_gives_up_after_its_limit():
    driver = _LateDriver()
    driver.plug = lambda port: False
    agent = _agent(driver, retry_for=0.2)
    try:
        agent.port_update({"id": "p1", "binding:host_id": "h1"})
        time.sleep(0.5)
        assert agent._pending == {}
    finally:
        agent.stop()
        agent.wait()
