"""Notifications go out on the message bus, where any oslo.messaging listener receives them."""

import queue

import oslo_messaging as messaging
import pytest

from novalite.cmd.serve import AllInOne
from tests.cloud import Client, make_conf


class Collector:
    def __init__(self):
        self.events = queue.Queue()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self.events.put((publisher_id, event_type, payload))


@pytest.fixture(scope="module")
def notifying_cloud(tmp_path_factory):
    conf = make_conf(tmp_path_factory.mktemp("state"),
                     **{"oslo_messaging_notifications.driver": ["messagingv2"]})
    aio = AllInOne(conf, computes=1)
    collector = Collector()
    listener = messaging.get_notification_listener(
        aio.messaging.notification_transport, [messaging.Target(topic="notifications")],
        [collector], executor="threading")
    listener.start()
    aio.start_in_thread()
    yield aio, collector
    aio.stop()
    listener.stop()
    listener.wait()


def _collect(collector, wanted, timeout=10):
    seen = []
    while not set(wanted) <= {event for _, event, _ in seen}:
        seen.append(collector.events.get(timeout=timeout))
    return seen


def test_create_and_delete_are_announced(notifying_cloud):
    aio, collector = notifying_cloud
    client = Client(aio.compute_url)
    server_id = client.boot("announced")["server"]["id"]
    client.wait_for(server_id, "ACTIVE")
    seen = _collect(collector, ["instance.create.start", "instance.create.end"])
    end = next(p for _, e, p in seen if e == "instance.create.end")
    assert end["uuid"] == server_id
    assert end["state"] == "active"
    assert end["host"] == "compute1"
    publishers = {pub for pub, e, _ in seen if e.startswith("instance.create")}
    assert publishers == {"compute.compute1"}

    assert client.delete("/servers/%s" % server_id).status_code == 204
    seen = _collect(collector, ["instance.delete.start", "instance.delete.end"])
    assert all(p["uuid"] == server_id for _, e, p in seen if e.startswith("instance.delete"))
