"""A real guest's remote consoles through the proxies `novalite serve` runs: the VNC URL
openstacksdk gets opens a WebSocket through the noVNC proxy to QEMU's VNC server, which
answers the RFB handshake; noVNC's own client (the npm package, under Node.js) goes through
the whole handshake to the guest's desktop name, as a browser tab would; the serial URL
reaches the guest's serial port, where its heartbeat arrives; a token opens one
connection, and an administrator can see what a token connects to."""

import os
import pathlib
import shutil
import subprocess
import time
import urllib.parse

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.guests import tiny_guest
from tests.guests.test_real_guests import _boot, _console_when, flavor, images  # noqa: F401

NOVNC = pathlib.Path(__file__).parent / "novnc"


@pytest.fixture(scope="module")
def novnc():
    """noVNC's client, installed from the npm registry as package-lock.json pins it."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        message = "the noVNC check needs Node.js and npm"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(message + " (CI=true, so this is a failure, not a skip)", pytrace=False)
        pytest.skip(message)
    if not (NOVNC / "node_modules" / "@novnc" / "novnc").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=NOVNC,
                       check=True, timeout=600)
    return NOVNC / "rfb_handshake.mjs"


def _websocket_of(url: str, proxy_port: int) -> str:
    """Where noVNC's page (vnc_lite.html?path=...) points the browser's WebSocket."""
    path = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["path"][0]
    return "ws://127.0.0.1:%d/%s" % (proxy_port, path.lstrip("/"))


def _token(url: str) -> str:
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    if "path" in query:  # noVNC's page: ?path=%3Ftoken%3D...
        query = urllib.parse.parse_qs(urllib.parse.urlparse(query["path"][0]).query)
    return query["token"][0]


def test_vnc_and_serial_consoles_of_a_real_guest(guest_cloud, images, flavor,  # noqa: F811
                                                 novnc):
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
        # noVNC itself, through a fresh URL: the RFB handshake ends in QEMU's desktop name.
        vnc = conn.compute.create_server_remote_console(server, protocol="vnc", type="novnc")
        done = subprocess.run(["node", str(novnc), _websocket_of(vnc.url,
                                                                 guest_cloud.ports["vnc"])],
                              capture_output=True, text=True, timeout=60, cwd=novnc.parent)
        lines = done.stdout.splitlines()
        assert done.returncode == 0, done.stdout + done.stderr
        assert "desktopname QEMU (instance-%s)" % server.id in lines, lines
        assert "connected" in lines and "disconnected clean=true" in lines, lines
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
