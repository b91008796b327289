"""Remote consoles: the URL answers (2.6 remote-consoles, the 2.1-2.5 actions), the
administrator's token check, Nova's 400s/404s/409s, and the proxies relaying a WebSocket to
a console's TCP port with a one-time, expiring token."""

import os
import socket
import threading
import urllib.parse

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from novalite.console.proxy import ConsoleProxy
from novalite.db import console_auth_tokens as db_tokens
from tests.functional.helpers import assert_fault


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


@pytest.fixture(scope="module")
def server(demo):
    server_id = demo.boot("console")["server"]["id"]
    return demo.wait_for(server_id, "ACTIVE")


def _token(url: str) -> str:
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    if "path" in query:  # noVNC's page: ?path=%3Ftoken%3D...
        query = urllib.parse.parse_qs(urllib.parse.urlparse(query["path"][0]).query)
    return query["token"][0]


def test_vnc_url_and_its_token(cloud, demo, admin, server):
    resp = demo.post("/servers/%s/remote-consoles" % server["id"], json={
        "remote_console": {"protocol": "vnc", "type": "novnc"}})
    assert resp.status_code == 200, resp.text
    console = resp.json()["remote_console"]
    assert console["protocol"] == "vnc" and console["type"] == "novnc"
    assert console["url"].startswith("http://127.0.0.1:%d/vnc_lite.html?path=%%3Ftoken%%3D"
                                     % cloud.conf.vnc.novncproxy_port)
    token = _token(console["url"])
    shown = admin.get("/os-console-auth-tokens/" + token).json()["console"]
    assert shown == {"instance_uuid": server["id"], "host": "127.0.0.1", "port": 5900,
                     "internal_access_path": None}
    assert_fault(demo.get("/os-console-auth-tokens/" + token), 403, "forbidden")
    assert_fault(admin.get("/os-console-auth-tokens/not-a-token"), 404, "itemNotFound",
                 "The token 'not-a-token' is invalid or has expired")


def test_serial_url_and_the_old_actions(cloud, demo, make_client, server):
    resp = demo.post("/servers/%s/remote-consoles" % server["id"], json={
        "remote_console": {"protocol": "serial", "type": "serial"}})
    url = resp.json()["remote_console"]["url"]
    assert url.startswith("ws://127.0.0.1:%d/?token=" % cloud.conf.serial_console.serialproxy_port)
    old = make_client("demo", "demo", "2.5")
    resp = _action(old, server["id"], {"os-getVNCConsole": {"type": "novnc"}})
    assert resp.status_code == 200, resp.text
    assert resp.json()["console"]["type"] == "novnc"
    resp = _action(old, server["id"], {"os-getSerialConsole": {"type": "serial"}})
    assert resp.json()["console"]["url"].startswith("ws://")
    assert_fault(_action(old, server["id"], {"os-getSPICEConsole": {"type": "spice-html5"}}),
                 400, "badRequest", "Unavailable console type spice-html5.")
    assert_fault(_action(old, server["id"], {"os-getVNCConsole": {"type": "bogus"}}), 400,
                 "badRequest")
    # From 2.6 the actions are gone, and remote-consoles is there.
    assert_fault(_action(demo, server["id"], {"os-getVNCConsole": {"type": "novnc"}}), 404,
                 "itemNotFound")
    assert_fault(old.post("/servers/%s/remote-consoles" % server["id"], json={
        "remote_console": {"protocol": "vnc", "type": "novnc"}}), 404, "itemNotFound")


def test_remote_console_refusals(demo, other, server):
    path = "/servers/%s/remote-consoles" % server["id"]
    assert_fault(demo.post(path, json={"remote_console": {"protocol": "vnc",
                                                          "type": "serial"}}), 400,
                 "badRequest", "Invalid console type serial for protocol vnc")
    assert_fault(demo.post(path, json={"remote_console": {"protocol": "rdp",
                                                          "type": "rdp-html5"}}), 400,
                 "badRequest", "Unavailable console type rdp-html5.")
    assert_fault(demo.post(path, json={"remote_console": {"protocol": "vnc"}}), 400,
                 "badRequest")
    assert_fault(other.post(path, json={"remote_console": {"protocol": "vnc",
                                                           "type": "novnc"}}), 404,
                 "itemNotFound")


@pytest.fixture
def rfb_server():
    """A TCP server that answers as a VNC server starts (its RFB version), then echoes."""
    listener = socket.create_server(("127.0.0.1", 0))
    seen = []

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"RFB 003.008\n")
                data = conn.recv(100)
                seen.append(data)
                conn.sendall(data)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], seen
    listener.close()


def test_the_vnc_proxy_relays_once_per_token(cloud, server, rfb_server):
    port, seen = rfb_server
    token = db_tokens.create(cloud.database, db_tokens.ConsoleConnection(
        instance_uuid=server["id"], console_type="novnc", host="127.0.0.1", port=port),
        ttl=60)
    proxy = "ws://127.0.0.1:%d/?token=%s" % (cloud.conf.vnc.novncproxy_port, token)
    with connect(proxy, subprotocols=["binary"]) as ws:
        assert ws.recv(timeout=5) == b"RFB 003.008\n"
        ws.send(b"RFB 003.008\n")
        assert ws.recv(timeout=5) == b"RFB 003.008\n"
    assert seen == [b"RFB 003.008\n"]
    # Spent: a second connection with the same token is refused.
    with pytest.raises(ConnectionClosed), connect(proxy, subprotocols=["binary"]) as ws:
        ws.recv(timeout=5)
    # Nor does a serial token open the VNC proxy, or an expired token anything.
    serial = db_tokens.create(cloud.database, db_tokens.ConsoleConnection(
        instance_uuid=server["id"], console_type="serial", host="127.0.0.1", port=port),
        ttl=60)
    with pytest.raises(ConnectionClosed), connect(
            "ws://127.0.0.1:%d/?token=%s" % (cloud.conf.vnc.novncproxy_port, serial),
            subprotocols=["binary"]) as ws:
        ws.recv(timeout=5)
    expired = db_tokens.create(cloud.database, db_tokens.ConsoleConnection(
        instance_uuid=server["id"], console_type="novnc", host="127.0.0.1", port=port),
        ttl=-1)
    assert db_tokens.show(cloud.database, expired) is None


def test_the_vnc_proxy_serves_novnc_pages(cloud, tmp_path):
    """With noVNC's pages in [vnc] web, the console URL opens in a browser: the proxy serves
    the files (no listings, nothing outside the directory) beside the WebSocket."""
    (tmp_path / "vnc_lite.html").write_text("<title>noVNC</title>")
    (tmp_path / "app").mkdir()
    cwd = os.getcwd()
    proxy = ConsoleProxy(cloud.database, "novnc", "127.0.0.1", 0, web=str(tmp_path))
    proxy.start()
    try:
        base = "http://127.0.0.1:%d" % proxy.port
        page = httpx.get(base + "/vnc_lite.html?path=%3Ftoken%3Dx")
        assert page.status_code == 200 and page.text == "<title>noVNC</title>"
        assert httpx.get(base + "/app/").status_code == 404
        assert httpx.get(base + "/../../etc/passwd").status_code == 404
        assert os.getcwd() == cwd
    finally:
        proxy.stop()
    # Without the directory, only WebSocket upgrades are answered.
    if not os.path.isdir(cloud.conf.vnc.web):
        plain = httpx.get("http://127.0.0.1:%d/vnc_lite.html" % cloud.conf.vnc.novncproxy_port)
        assert plain.status_code >= 400
