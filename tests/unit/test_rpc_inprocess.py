"""The in-process oslo.messaging driver: calls, casts and errors as on a real broker."""

import threading
import uuid

import oslo_messaging as messaging
import pytest

from novalite import conf as nl_conf
from novalite import exception, rpc


class Endpoint:
    target = messaging.Target(version="1.0")

    def __init__(self):
        self.casts = []
        self.cast_seen = threading.Event()

    def echo(self, ctxt, value):
        return {"value": value, "user": ctxt.user_id}

    def fail(self, ctxt):
        raise exception.NoValidHost(reason="nothing fits")

    def remember(self, ctxt, value):
        self.casts.append(value)
        self.cast_seen.set()


@pytest.fixture
def bus():
    conf = nl_conf.new_conf()
    conf.set_override("control_exchange", "unit-" + uuid.uuid4().hex[:8])
    msg = rpc.Messaging(conf, rpc.IN_PROCESS_URL)
    endpoint = Endpoint()
    server = msg.server("topic", "host1", [endpoint])
    server.start()
    yield msg, endpoint
    server.stop()
    server.wait()
    msg.cleanup()


def _ctx():
    from novalite.context import RequestContext

    return RequestContext(user_id="alice", project_id="p1")


def test_call_returns_the_result_and_carries_the_context(bus):
    msg, _ = bus
    client = msg.client("topic", "1.0").prepare(server="host1", version="1.0")
    assert client.call(_ctx(), "echo", value=42) == {"value": 42, "user": "alice"}


def test_cast_is_delivered(bus):
    msg, endpoint = bus
    client = msg.client("topic", "1.0").prepare(server="host1", version="1.0")
    client.cast(_ctx(), "remember", value="x")
    assert endpoint.cast_seen.wait(5)
    assert endpoint.casts == ["x"]


def test_remote_domain_errors_arrive_as_their_class(bus):
    msg, _ = bus
    client = msg.client("topic", "1.0").prepare(server="host1", version="1.0")
    with pytest.raises(exception.NoValidHost, match="nothing fits"):
        client.call(_ctx(), "fail")


def test_a_call_to_a_host_nobody_serves_times_out(bus):
    msg, _ = bus
    client = msg.client("topic", "1.0").prepare(server="nobody", version="1.0", timeout=0.2)
    with pytest.raises(messaging.MessagingTimeout):
        client.call(_ctx(), "echo", value=1)
