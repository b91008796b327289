"""Port events for Nova, as Neutron's nova notifier sends them: network-vif-plugged when a
compute port goes ACTIVE (status "failed" when it goes to ERROR), network-vif-unplugged
when it goes DOWN, network-vif-deleted when it is deleted, network-changed when its
addresses or floating IPs change. They go to POST /os-server-external-events with the
service's token, from one sender thread, so a slow compute API never holds up a port
request; what queued meanwhile goes in one request, as Neutron batches them."""

import logging
import queue
import threading

from novalite import service_auth

LOG = logging.getLogger(__name__)
_COMPUTE_OWNER = "compute:"
_BATCH = 100


def nova_url(conf) -> str:
    return (conf.network_api.nova_url or
            service_auth.local_url(conf.api.listen, conf.api.port) + "/v2.1").rstrip("/")


class NovaNotifier:
    def __init__(self, conf, service_password: str | None = None, session=None):
        self.conf = conf.network_api
        self.url = nova_url(conf)
        self.session = session or service_auth.session(conf, self.url, service_password)
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._send_loop, daemon=True,
                                        name="network-nova-notifier")
        self._thread.start()

    # -- what the ports domain reports -----------------------------------------------------

    def status_changed(self, port: dict, old_status: str) -> None:
        if not self.conf.notify_nova_on_port_status_changes or not _is_compute(port):
            return
        new = port["status"]
        if new == "ACTIVE" and old_status != "ACTIVE":
            self._event("network-vif-plugged", port, "completed")
        elif new == "ERROR" and old_status != "ERROR":
            self._event("network-vif-plugged", port, "failed")
        elif new == "DOWN" and old_status == "ACTIVE":
            self._event("network-vif-unplugged", port, "completed")

    def changed(self, port: dict) -> None:
        if self.conf.notify_nova_on_port_data_changes and _is_compute(port):
            self._event("network-changed", port, "completed")

    def deleted(self, port: dict) -> None:
        if self.conf.notify_nova_on_port_data_changes and _is_compute(port):
            self._event("network-vif-deleted", port, "completed")

    def _event(self, name: str, port: dict, status: str) -> None:
        self._queue.put({"name": name, "server_uuid": port["device_id"], "tag": port["id"],
                         "status": status})

    # -- the sender --------------------------------------------------------------------------

    def _send_loop(self) -> None:
        while True:
            event = self._queue.get()
            if event is None:
                return
            batch = [event]
            while len(batch) < _BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._send(batch)
                    return
                batch.append(more)
            self._send(batch)

    def _send(self, events: list[dict]) -> None:
        try:
            resp = self.session.post(self.url + "/os-server-external-events",
                                     json={"events": events}, raise_exc=False, timeout=30)
        except Exception as e:  # the compute API down: Nova times out, as with Neutron
            LOG.warning("Could not send %d port event(s) to %s: %s", len(events), self.url, e)
            return
        if resp.status_code not in (200, 207, 404):
            LOG.warning("The compute API answered %s to %d port event(s)", resp.status_code,
                        len(events))

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)


class NoNotifier:
    """A network service with no compute API to tell (tests of the API alone)."""

    def status_changed(self, port, old_status):
        pass

    def changed(self, port):
        pass

    def deleted(self, port):
        pass

    def stop(self):
        pass


def _is_compute(port: dict) -> bool:
    return bool(port.get("device_id")) and (port.get("device_owner") or "").startswith(
        _COMPUTE_OWNER)
