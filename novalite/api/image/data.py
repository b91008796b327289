"""Image data over HTTP: `PUT` and `GET /v2/images/{id}/file`, streamed.

These two calls bypass asgi.SyncApp's read-the-whole-body path: the upload is read from
`receive` a message at a time and handed, in batches of about `chunk_size`, to a worker
thread that hashes it and writes it to the store; the download goes out the same way. An
image's bytes are never all in memory.
"""

import asyncio
import logging

from starlette.datastructures import Headers

from novalite import context as nl_context
from novalite import exception
from novalite.api import auth

LOG = logging.getLogger(__name__)


class _Disconnected(Exception):
    pass


def error_status(error: Exception) -> tuple[int, str] | None:
    for cls, status, title in ((exception.NotFound, 404, "Not Found"),
                               (exception.Invalid, 400, "Bad Request"),
                               (exception.Conflict, 409, "Conflict"),
                               (exception.Forbidden, 403, "Forbidden")):
        if isinstance(error, cls):
            return status, title
    return None


async def _respond(send, status, headers, body=b""):
    headers = {**headers, "content-length": str(len(body))}
    if body:
        headers.setdefault("content-type", "text/plain; charset=UTF-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(k.encode("latin-1"), str(v).encode("latin-1"))
                            for k, v in headers.items()]})
    await send({"type": "http.response.body", "body": body})


class ImageData:
    def __init__(self, executor, image_api, authenticate, chunk_size: int,
                 heartbeat: float):
        self.executor = executor
        self.image_api = image_api
        self.authenticate = authenticate
        self.chunk_size = chunk_size
        self.heartbeat = heartbeat

    async def _run(self, func, *args):
        return await asyncio.get_running_loop().run_in_executor(self.executor, func, *args)

    async def __call__(self, scope, receive, send, image_id: str):
        request_id = nl_context.generate_request_id()
        out = {"x-openstack-request-id": request_id}
        headers = Headers(scope=scope)
        try:
            ctxt = await self._run(self.authenticate, headers, request_id)
        except auth.Unauthorized as e:
            return await _respond(send, 401, out, ("401 Unauthorized\n\n%s" % e).encode())
        try:
            if scope["method"] == "PUT":
                await self._upload(ctxt, headers, receive, image_id)
                return await _respond(send, 204, out)
            return await self._download(ctxt, scope, send, image_id, out)
        except _Disconnected:
            return None  # nobody is listening any more
        except Exception as e:
            known = error_status(e)
            if known is None:
                LOG.exception("Unexpected error on image data %s (request %s)", image_id,
                              request_id)
                known = 500, "Internal Server Error"
            return await _respond(send, known[0], out,
                                  ("%d %s\n\n%s" % (*known, e)).encode())

    async def _upload(self, ctxt, headers, receive, image_id):
        content_type = headers.get("content-type", "application/octet-stream")
        if content_type.split(";")[0].strip() != "application/octet-stream":
            raise exception.Invalid("Unsupported Content-Type %s for image data; use "
                                    "application/octet-stream." % content_type)
        expected = headers.get("content-length")
        try:
            expected = int(expected) if expected is not None else None
        except ValueError:
            raise exception.Invalid("Invalid Content-Length.") from None
        upload = await self._run(self.image_api.begin_upload, ctxt, image_id,
                                 self.heartbeat)
        writing = None  # the previous chunk's write, running while the next one arrives
        try:
            batch = bytearray()
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise _Disconnected()
                batch += message.get("body", b"")
                more = message.get("more_body", False)
                # A slow client's data is written (with a heartbeat) before a batch fills.
                if len(batch) >= self.chunk_size or (batch and (
                        not more or upload.beat_due())):
                    data, batch = batch, bytearray()  # handed over, not copied
                    if writing is not None:
                        await writing
                    writing = asyncio.ensure_future(self._run(upload.write, data))
                if not more:
                    break
            if writing is not None:
                await writing
                writing = None
        except asyncio.CancelledError:
            upload.abort()  # the loop is going away: no worker to hand this to
            raise
        except BaseException:
            if writing is not None:  # let the write in flight end before discarding
                await asyncio.gather(writing, return_exceptions=True)
            await self._run(upload.abort)
            raise
        await self._run(upload.finish, expected)

    async def _download(self, ctxt, scope, send, image_id, out):
        image, data = await self._run(self.image_api.open_data, ctxt, image_id)
        if data is None:
            return await _respond(send, 204, out)
        try:
            out.update({"content-type": "application/octet-stream",
                        "content-length": str(image.size), "content-md5": image.checksum})
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(k.encode("latin-1"), str(v).encode("latin-1"))
                                    for k, v in out.items()]})
            if scope["method"] == "HEAD":
                return await send({"type": "http.response.body", "body": b""})
            while True:
                chunk = await self._run(data.read, self.chunk_size)
                if not chunk:
                    break
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            data.close()
