"""Consoles: the console log (os-getConsoleOutput), and the remote consoles: a URL with a
one-time token through the VNC (noVNC) or serial WebSocket proxy (novalite/console/), and
an administrator's look at a token (os-console-auth-tokens)."""

import urllib.parse

from novalite import exception
from novalite.compute.api.base import ComputeAPIBase
from novalite.compute.states import task_states, vm_states
from novalite.db import console_auth_tokens as db_tokens

# (protocol, type) -> the proxy it goes through; every other pair Nova knows is a 400.
_REMOTE = {("vnc", "novnc"): "novnc", ("serial", "serial"): "serial"}
_KNOWN = {("vnc", "novnc"), ("vnc", "xvpvnc"), ("spice", "spice-html5"),
          ("spice", "spice-direct"), ("rdp", "rdp-html5"), ("serial", "serial"),
          ("mks", "webmks")}

# A console exists while the server has a guest (running or stopped), as Nova.
_CONSOLE_VM_STATES = {vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED,
                      vm_states.SUSPENDED, vm_states.RESCUED, vm_states.RESIZED}


class ConsoleActions(ComputeAPIBase):
    def get_console_output(self, ctxt, instance_id: str, tail_length: int | None = None
                           ) -> str:
        """The server's console output, its last `tail_length` lines (None: all). The
        server must be on a host with a guest (Nova's 409 otherwise)."""
        instance = self.get(ctxt, instance_id)
        ctxt.can("os_compute_api:os-console-output", {"project_id": instance.project_id})
        self._check_state(instance, "get_console_output", _CONSOLE_VM_STATES,
                          {instance.task_state} - {task_states.DELETING})
        if instance.host is None:
            raise exception.InstanceInvalidState(
                action="get_console_output", instance_uuid=instance.uuid, attr="host",
                state="None")
        return self.compute_rpc.get_console_output(ctxt, instance, tail_length)

    def get_remote_console(self, ctxt, instance_id: str, protocol: str,
                           console_type: str) -> str:
        """A console URL for the server: its token opens one connection through the proxy
        within [consoleauth] token_ttl."""
        instance = self.get(ctxt, instance_id)
        ctxt.can("os_compute_api:os-remote-consoles", {"project_id": instance.project_id})
        if (protocol, console_type) not in _KNOWN:
            raise exception.Invalid("Invalid console type %s for protocol %s" % (
                console_type, protocol))
        proxy = _REMOTE.get((protocol, console_type))
        enabled = {"novnc": self.conf.vnc.enabled, "serial": self.conf.serial_console.enabled}
        if proxy is None or not enabled[proxy]:
            raise exception.ConsoleTypeUnavailable(console_type=console_type)
        if instance.host is None:
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        found = self.compute_rpc.get_console_connection(ctxt, instance, proxy)
        token = db_tokens.create(self.database, db_tokens.ConsoleConnection(
            instance_uuid=instance.uuid, console_type=proxy, host=found["host"],
            port=found["port"]), self.conf.consoleauth.token_ttl)
        if proxy == "novnc":
            base = self.conf.vnc.novncproxy_base_url or "http://%s:%d/vnc_lite.html" % (
                self.conf.vnc.novncproxy_host, self.conf.vnc.novncproxy_port)
            # noVNC's page reads the WebSocket path (with the token) from ?path=.
            return "%s?path=%s" % (base, urllib.parse.quote("?token=" + token, safe=""))
        base = self.conf.serial_console.base_url or "ws://%s:%d/" % (
            self.conf.serial_console.serialproxy_host,
            self.conf.serial_console.serialproxy_port)
        return "%s?token=%s" % (base, token)

    def console_auth_token(self, ctxt, token: str):
        """What a valid token connects to (an administrator's check), or NotFound."""
        ctxt.can("os_compute_api:os-console-auth-tokens")
        connection = db_tokens.show(self.database, token)
        if connection is None:
            raise exception.NotFound("The token '%s' is invalid or has expired" % token)
        return connection
