"""An in-process oslo.messaging driver for the all-in-one (`inprocess://`).

It is oslo.messaging's own fake driver with one change: a listener sleeps on a condition
variable that delivery signals, instead of polling every 50 ms, so an RPC call round trip
inside one process costs tens of microseconds rather than tens of milliseconds. (kombu's
`memory` transport cannot be used: oslo.messaging's rabbit driver ignores it and connects to
a real broker.) Exchanges live in this module, so every transport of the process sees them.
"""

import threading
import time

from oslo_messaging._drivers import base, impl_fake


class _Exchange(impl_fake.FakeExchange):
    def __init__(self, name):
        super().__init__(name)
        self.arrived = threading.Condition(self._queues_lock)

    def deliver_message(self, *args, **kwargs):
        with self._queues_lock:
            super().deliver_message(*args, **kwargs)
            self.arrived.notify_all()


class _ExchangeManager(impl_fake.FakeExchangeManager):
    _exchanges_lock = threading.Lock()
    _exchanges: dict = {}

    def get_exchange(self, name):
        name = name or self._default_exchange
        with self._exchanges_lock:
            exchange = self._exchanges.get(name)
            if exchange is None:
                exchange = self._exchanges[name] = _Exchange(name)
            return exchange


class _Listener(impl_fake.FakeListener):
    @base.batch_poll_helper
    def poll(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        pairs = [(t, self._exchange_manager.get_exchange(t.exchange)) for t in self._targets]
        exchange = pairs[0][1]
        same_exchange = all(e is exchange for _, e in pairs)
        while not self._stopped.is_set():
            with exchange.arrived:
                for target, target_exchange in pairs:
                    ctxt, message, reply_q, requeue = target_exchange.poll(target, self._pool)
                    if message is not None:
                        return impl_fake.FakeIncomingMessage(ctxt, message, reply_q, requeue)
                wait = 0.5 if deadline is None else deadline - time.monotonic()
                if wait <= 0:
                    return None
                # Checked and waited under one lock: a delivery cannot slip in between.
                exchange.arrived.wait(min(wait, 0.5) if same_exchange else min(wait, 0.005))
        return None

    def stop(self):
        super().stop()
        for target in self._targets:
            exchange = self._exchange_manager.get_exchange(target.exchange)
            with exchange.arrived:
                exchange.arrived.notify_all()


class InProcessDriver(impl_fake.FakeDriver):
    def __init__(self, conf, url, default_exchange=None, allowed_remote_exmods=None):
        super().__init__(conf, url, default_exchange, allowed_remote_exmods)
        self._exchange_manager = _ExchangeManager(default_exchange)

    def listen(self, target, batch_size, batch_timeout):
        adapter = super().listen(target, batch_size, batch_timeout)
        return self._swap_listener(adapter)

    def listen_for_notifications(self, targets_and_priorities, pool, batch_size,
                                 batch_timeout):
        adapter = super().listen_for_notifications(targets_and_priorities, pool, batch_size,
                                                   batch_timeout)
        return self._swap_listener(adapter)

    def _swap_listener(self, adapter):
        old = adapter._poll_style_listener
        adapter._poll_style_listener = _Listener(old._exchange_manager, old._targets,
                                                 old._pool)
        return adapter

    def cleanup(self):
        pass  # exchanges are shared by every transport of the process
