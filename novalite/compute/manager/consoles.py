"""Consoles on the host: the guest's console log, and where its VNC server and serial port
listen (for the console proxies)."""

import logging

from novalite import exception
from novalite.compute.manager.base import ManagerBase
from novalite.db import instances as db_instances
from novalite.virt import driver as virt_driver

LOG = logging.getLogger(__name__)


class ConsoleManager(ManagerBase):
    def get_console_output(self, ctxt, instance_uuid, tail_length=None) -> str:
        """The guest's console output, its last tail_length lines if given (as Nova)."""
        instance = db_instances.get(self.database, instance_uuid)
        try:
            output = self.driver.get_console_output(instance)
        except virt_driver.InstanceNotRunning as e:
            raise exception.NotFound("Guest console is not available: %s" % e) from e
        if tail_length is not None:
            output = tail_lines(output, int(tail_length))
        return output


def tail_lines(text: str, length: int) -> str:
    """The last `length` lines, as Nova's _tail_log (a final newline ends an empty last
    line; 0 lines is empty)."""
    if length <= 0:
        return ""
    return "\n".join(text.split("\n")[-length:])


def _connection_getter(driver, console_type):
    return {"novnc": driver.get_vnc_console, "serial": driver.get_serial_console}[console_type]


class RemoteConsoleManager(ManagerBase):
    def get_console_connection(self, ctxt, instance_uuid, console_type) -> dict:
        """{host, port} of the guest's console of this type (novnc or serial)."""
        instance = db_instances.get(self.database, instance_uuid)
        try:
            host, port = _connection_getter(self.driver, console_type)(instance)
        except virt_driver.ConsoleTypeUnavailable as e:
            raise exception.ConsoleTypeUnavailable(console_type=console_type) from e
        except virt_driver.InstanceNotRunning as e:
            raise exception.InstanceNotReady(instance_id=instance_uuid) from e
        return {"host": host, "port": port}
