"""Several HTTP APIs (compute, image, identity) served by uvicorn from one event loop in a
background thread, so the main thread is free to wait for signals and stop everything."""

import asyncio
import threading
import time

import uvicorn


class HTTPServers:
    def __init__(self):
        self._servers: list[tuple[str, uvicorn.Server]] = []
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def add(self, name: str, app, host: str, port: int) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                                access_log=False, lifespan="on")
        self._servers.append((name, uvicorn.Server(config)))

    def start(self, timeout: float = 10) -> None:
        """Serve in a background thread; return once every server listens."""
        self._thread = threading.Thread(target=self._run, daemon=True, name="http-servers")
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not all(server.started for _, server in self._servers):
            if self._error is not None or not self._thread.is_alive() \
                    or time.monotonic() > deadline:
                self.stop()
                names = [f"{name} on {s.config.host}:{s.config.port}"
                         for name, s in self._servers if not s.started]
                raise RuntimeError("could not serve %s (is the port in use?)"
                                   % ", ".join(names))
            time.sleep(0.01)

    def _run(self) -> None:
        async def serve(server):
            try:
                await server.serve()
            except SystemExit as e:  # uvicorn's way of saying it could not bind
                self._error = e
                for _, other in self._servers:
                    other.should_exit = True

        async def serve_all():
            await asyncio.gather(*(serve(server) for _, server in self._servers))

        try:
            asyncio.run(serve_all())
        except BaseException as e:  # uvicorn exits with SystemExit when it cannot bind
            self._error = e

    def stop(self) -> None:
        for _, server in self._servers:
            server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
