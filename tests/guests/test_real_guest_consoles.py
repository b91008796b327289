"""A real guest's remote consoles through the proxies `novalite serve` runs: the VNC URL
openstacksdk gets opens a WebSocket (as noVNC's) through the noVNC proxy to QEMU's VNC
server, which answers the RFB handshake; the serial URL reaches the guest's serial port,
where its heartbeat arrives; a token opens one connection, and an administrator can see
what a token connects to."""

import time
import urllib.parse

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.guests import tiny_guest
from tests.guests.test_real_guests import _boot, _console_when, flavor, images  # noqa: F401


def _token(url: str) -> str:
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    if "path" in query:  # noVNC's page: ?path=%3Ftoken%3D...
        query = urllib.parse.parse_qs(urllib.parse.urlparse(query["path"][0]).query)
    return query["token"][0]


def test_vnc_and_serial_consoles_of_a_real_guest(guest_cloud, images, flavor):  # noqa: F811
    conn = guest_cloud.connect()
    admin = guest_cloud.connect("novalite-admin")
    server = _boot(conn, "consoles-" + str(int(time.time())), images.id, flavor)
    try:
        _console_when(conn, server, tiny_guest.MARKER)
        vnc = conn.compute.create_server_remote_console(server, protocol="vnc", type="novnc")
        token = _token(vnc.url)
        # What the token connects to: QEMU's VNC server on this machine.
        shown = admin.compute.validate_console_auth_token(token)
        assert shown.instance_uuid == server.id and shown.host == "127.0.0.1"
        proxy = "ws://127.0.0.1:%d/?token=%s" % (guest_cloud.ports["vnc"], token)
        with connect(proxy, subprotocols=["binary"], open_timeout=10) as ws:
            assert ws.recv(timeout=10).startswith(b"RFB 003.")
        with pytest.raises(ConnectionClosed), connect(proxy, subprotocols=["binary"]) as ws:
            ws.recv(timeout=10)  # the token is spent
        serial = conn.compute.create_server_remote_console(server, protocol="serial",
                                                           type="serial")
        assert serial.url.startswith("ws://127.0.0.1:%d/" % guest_cloud.ports["serial"])
        received = b""
        with connect(serial.url, subprotocols=["binary"], open_timeout=10) as ws:
            deadline = time.monotonic() + 60
            while tiny_guest.TICK.encode() not in received:
                assert time.monotonic() < deadline, received[-500:]
                received += ws.recv(timeout=60)
    finally:
        conn.compute.delete_server(server)
        conn.compute.wait_for_delete(server, wait=120)
