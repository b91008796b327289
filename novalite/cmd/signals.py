"""Signal handling shared by the commands."""

import contextlib
import signal
import threading

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def survive_uvicorn_shutdown():
    """uvicorn stops on SIGINT/SIGTERM, then re-raises the signal to the handler it found:
    with the default one the process would die there and skip our cleanup. A second signal
    during cleanup still stops us."""
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in _STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def wait_for_stop() -> None:
    """Block until SIGINT or SIGTERM."""
    done = threading.Event()
    for sig in _STOP_SIGNALS:
        signal.signal(sig, lambda *_: done.set())
    while not done.wait(1):
        pass
