"""A service: a manager exposed over RPC, its heartbeat, and its periodic tasks."""

import logging
import threading

from novalite.db import services as db_services

LOG = logging.getLogger(__name__)


class Service:
    def __init__(self, conf, database, messaging, host: str, binary: str, topic: str, manager):
        self.conf = conf
        self.database = database
        self.messaging = messaging
        self.host = host
        self.binary = binary
        self.topic = topic
        self.manager = manager
        self.service_ref = None
        self._rpc_server = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self.service_ref = db_services.get_or_create(self.database, self.host, self.binary,
                                                     self.topic)
        self.manager.init_host()
        self._rpc_server = self.messaging.server(self.topic, self.host, [self.manager])
        self._rpc_server.start()
        # Up from now, not from the first periodic beat: a service restarted after a long
        # stop would otherwise look down (and be filtered out) for report_interval.
        self._heartbeat()
        tasks = [(self.conf.report_interval, self._heartbeat)]
        tasks += self.manager.periodic_tasks()
        for interval, task in tasks:
            thread = threading.Thread(target=self._loop, args=(interval, task), daemon=True,
                                      name=f"{self.binary}-{self.host}-{task.__name__}")
            thread.start()
            self._threads.append(thread)
        LOG.info("%s started on host %s (topic %s)", self.binary, self.host, self.topic)

    def _heartbeat(self) -> None:
        db_services.heartbeat(self.database, self.service_ref.id)

    def _loop(self, interval: float, task) -> None:
        while not self._stop.wait(interval):
            try:
                task()
            except Exception:  # a periodic task must never kill its thread
                LOG.exception("Periodic task %s of %s failed", task.__name__, self.binary)

    def stop(self) -> None:
        """Stop taking messages and periodic work (returns at once; see wait)."""
        self._stop.set()
        if self._rpc_server is not None:
            self._rpc_server.stop()

    def wait(self) -> None:
        """Let work in progress finish, then release the host."""
        if self._rpc_server is not None:
            self._rpc_server.wait()
        self.manager.cleanup_host()
        for thread in self._threads:
            thread.join(timeout=5)
