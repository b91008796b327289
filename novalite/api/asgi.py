"""The ASGI side shared by novalite's HTTP services: a synchronous `handle` run on a thread
pool, with plain ASGI messages (Starlette's Request/Response cost more than a small GET)."""

import asyncio
import concurrent.futures

from starlette.datastructures import Headers, QueryParams


async def _read_body(receive, headers, limit: int) -> bytes | None:
    """The whole body, or None once it is known to be over `limit` bytes (the rest is not
    read into memory)."""
    try:
        if int(headers.get("content-length", 0)) > limit:
            return None
    except ValueError:
        pass  # the HTTP server rejects a bad Content-Length itself
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _server_netloc(scope) -> str:
    host, port = scope.get("server") or ("127.0.0.1", 80)
    return "%s:%d" % (host, port)


class SyncApp:
    """Subclasses define handle(method, path, query, headers, body, base_url) ->
    (status, {header: value}, body bytes)."""

    def __init__(self, public_url: str | None, threads: int, name: str, max_body_size: int):
        self.public_url = public_url
        self.max_body_size = max_body_size
        # Handlers are synchronous (database, RPC): they run on these threads. A plain
        # executor hands work over faster than anyio's thread runner.
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix=name)

    def handle(self, method, path, query, headers, body, base_url):
        raise NotImplementedError

    def body_too_large(self) -> tuple[int, dict, bytes]:
        """The answer to a body over max_body_size, in the API's own error format."""
        raise NotImplementedError

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        headers = Headers(scope=scope)
        body = await _read_body(receive, headers, self.max_body_size)
        base_url = self.public_url or "%s://%s" % (
            scope.get("scheme", "http"), headers.get("host") or _server_netloc(scope))
        if body is None:
            status, out, payload = self.body_too_large()
        else:
            status, out, payload = await asyncio.get_running_loop().run_in_executor(
                self._executor, self.handle, scope["method"], scope["path"],
                QueryParams(scope.get("query_string", b"")), headers, body,
                base_url.rstrip("/"))
        raw_headers = [(k.encode("latin-1"), str(v).encode("latin-1")) for k, v in out.items()]
        if scope["method"] != "HEAD" or "content-length" not in out:
            raw_headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await send({"type": "http.response.body",
                    "body": b"" if scope["method"] == "HEAD" else payload})
