"""The console proxies: a WebSocket in front of each guest's VNC server (noVNC speaks to
it) or serial port, as Nova's novncproxy and serialproxy. websockify does the WebSocket
and the relay; this only turns a console URL's token (?token=, or noVNC's token cookie)
into the guest's address. A token opens one connection, within [consoleauth] token_ttl."""

import http.cookies
import logging
import os
import threading
import urllib.parse

from websockify import websocketproxy, websockifyserver

from novalite.db import console_auth_tokens as db_tokens

LOG = logging.getLogger(__name__)


class _ConsoleHandler(websocketproxy.ProxyRequestHandler):
    # Plain GETs are files of the server's web directory (noVNC's pages), never the process's
    # working directory: SimpleHTTPRequestHandler would otherwise serve os.getcwd().
    directory = property(lambda self: self.server.web, lambda self, value: None)

    def log_message(self, format, *args):  # websockify prints to stderr otherwise
        LOG.debug("console proxy %s: " + format, self.client_address[0], *args)

    def _token(self) -> str | None:
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        if query.get("token"):
            return query["token"][0]
        cookie = http.cookies.SimpleCookie(self.headers.get("cookie", ""))
        return cookie["token"].value if "token" in cookie else None

    def new_websocket_client(self):
        token = self._token()
        connection = token and db_tokens.consume(self.server.database, token,
                                                 self.server.console_type)
        if not connection:
            LOG.info("Console connection from %s refused: invalid or expired token",
                     self.client_address[0])
            raise self.CClose(1008, "Invalid or expired token")
        LOG.info("Console %s of instance %s opened from %s", connection.console_type,
                 connection.instance_uuid, self.client_address[0])
        try:
            target = websockifyserver.WebSockifyServer.socket(connection.host,
                                                              connection.port, connect=True)
        except OSError as e:
            LOG.warning("Cannot reach the console of %s at %s:%s: %s",
                        connection.instance_uuid, connection.host, connection.port, e)
            raise self.CClose(1011, "Failed to connect to the console") from e
        try:
            self.do_proxy(target)
        finally:
            target.close()


class _Server(websocketproxy.LibProxyServer):
    daemon_threads = True

    def __init__(self, database, console_type, host, port, web=None):
        self.database = database
        self.console_type = console_type
        super().__init__(RequestHandlerClass=_ConsoleHandler, listen_host=host,
                         listen_port=port)
        # Not websockify's own `web`, which changes the whole process's directory.
        self.web = web or ""
        self.only_upgrade = not web
        self.file_only = True  # no directory listings, as Nova's proxy


class ConsoleProxy:
    """One proxy (console_type "novnc" or "serial") serving in a background thread."""

    def __init__(self, database, console_type: str, host: str, port: int, web=None):
        self.server = _Server(database, console_type, host, port, web)
        self.console_type = console_type
        self._thread = None

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def start(self) -> None:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True,
                                        name="%s-proxy" % self.console_type)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def from_conf(conf, database) -> list[ConsoleProxy]:
    """The proxies the configuration enables."""
    proxies = []
    if conf.vnc.enabled:
        web = conf.vnc.web if conf.vnc.web and os.path.isdir(conf.vnc.web) else None
        proxies.append(ConsoleProxy(database, "novnc", conf.vnc.novncproxy_host,
                                    conf.vnc.novncproxy_port, web))
    if conf.serial_console.enabled:
        proxies.append(ConsoleProxy(database, "serial", conf.serial_console.serialproxy_host,
                                    conf.serial_console.serialproxy_port))
    return proxies
