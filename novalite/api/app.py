"""The compute API's ASGI app. Every request goes through `handle`, whose steps are the
middleware of this service, in order: request id -> version documents (no auth) -> auth ->
microversion -> project id in the URL -> route -> handler -> fault mapping."""

import asyncio
import concurrent.futures
import json
import logging
import re

import orjson
from starlette.datastructures import Headers, QueryParams

from novalite import context as nl_context
from novalite import exception, policy
from novalite.api import auth, faults, microversion
from novalite.api.compute import routes, versions
from novalite.api.request import ApiRequest, ApiResponse
from novalite.api.router import Router

LOG = logging.getLogger(__name__)

_PATH_RE = re.compile(r"^/(v2\.1|v2)(/.*)?$")
_JSON = "application/json"


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _server_netloc(scope) -> str:
    host, port = scope.get("server") or ("127.0.0.1", 80)
    return "%s:%d" % (host, port)


class ComputeApp:
    def __init__(self, conf, compute_api):
        self.conf = conf
        self.compute_api = compute_api
        policy.init(conf)  # reads policy.yaml overrides once, at start
        self.router = Router(routes.ROUTES)
        self.collections = routes.collections()
        # Handlers are synchronous (database, RPC): they run on these threads. A plain
        # executor hands work over faster than anyio's thread runner.
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=conf.api.max_request_threads, thread_name_prefix="compute-api")

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
        # Plain ASGI rather than Starlette's Request/Response: this is the hot path of
        # every call, and those objects cost more than the work of a small GET.
        headers = Headers(scope=scope)
        body = await _read_body(receive)
        base_url = self.conf.api.public_url or "%s://%s" % (
            scope.get("scheme", "http"), headers.get("host") or _server_netloc(scope))
        status, out, payload = await asyncio.get_running_loop().run_in_executor(
            self._executor, self.handle, scope["method"], scope["path"],
            QueryParams(scope.get("query_string", b"")), headers, body, base_url.rstrip("/"))
        raw_headers = [(k.encode("latin-1"), str(v).encode("latin-1")) for k, v in out.items()]
        raw_headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": payload})

    def handle(self, method, path, query, headers, body, base_url):
        request_id = nl_context.generate_request_id()
        out = {"x-openstack-request-id": request_id, "x-compute-request-id": request_id}
        doc = versions.document_for(path, base_url)
        if doc is not None:
            status, body_doc = doc
            out["content-type"] = _JSON
            return status, out, json.dumps(body_doc).encode()
        found = _PATH_RE.match(path)
        if not found:
            return self._error(out, 404, "The resource could not be found.")
        version_prefix, rest = "/" + found.group(1), found.group(2) or "/"
        try:
            ctxt = auth.noauth2(headers, request_id)
        except auth.Unauthorized as e:
            return self._error(out, 401, str(e))
        try:
            if version_prefix == "/v2":  # the legacy v2 compatible API has no microversions
                version = microversion.APIVersion(*microversion.MIN_VERSION)
            else:
                version = microversion.from_headers(headers)
        except exception.NovaliteException as e:
            # No version to echo, but the answer still depends on the version headers.
            out.update(microversion.vary_header())
            return self._error(out, faults.status_for(e) or 400, e.message)
        out.update(microversion.response_headers(version))
        project_prefix = ""
        segments = rest.split("/", 2)
        if len(segments) > 1 and segments[1] and segments[1] not in self.collections:
            # /{project_id}/<route>, as Nova still accepts; anything else is a plain 404.
            project_id = segments[1]
            rest = "/" + (segments[2] if len(segments) > 2 else "")
            if self.router.match(method, rest.rstrip("/") or "/") == (None, None):
                return self._error(out, 404, "The resource could not be found.")
            if project_id != ctxt.project_id:
                return self._error(out, 400, "Malformed request URL: URL's project_id '%s' "
                                   "doesn't match Context's project_id '%s'"
                                   % (project_id, ctxt.project_id))
            project_prefix = "/" + project_id
        handler, params = self.router.match(method, rest.rstrip("/") or "/")
        if handler is None:
            if params is not None:
                out["allow"] = ", ".join(params)
                return self._error(out, 405, "The method is not allowed for this resource.")
            return self._error(out, 404, "The resource could not be found.")
        req = ApiRequest(method=method, path=rest, query=query, headers=headers, body=body,
                         context=ctxt, version=version, app=self, base_url=base_url,
                         version_prefix=version_prefix, project_prefix=project_prefix)
        try:
            result = handler(req, **params)
        except faults.HTTPError as e:
            out.update(e.headers)
            return self._error(out, e.status, e.message)
        except exception.NovaliteException as e:
            status = faults.status_for(e)
            if status is None or status >= 500:
                LOG.exception("%s %s failed (request %s)", method, path, request_id)
                return self._error(out, 500, e.message)
            return self._error(out, status, e.message)
        except Exception:
            LOG.exception("Unexpected error in %s %s (request %s)", method, path, request_id)
            return self._error(out, 500, "Unexpected API Error. Please report this at "
                               "the novalite issue tracker and attach the request id "
                               "%s." % request_id)
        if not isinstance(result, ApiResponse):
            result = ApiResponse(200, result)
        out.update(result.headers)
        if result.body is None or result.status == 204:
            return result.status, out, b""
        out["content-type"] = _JSON
        return result.status, out, orjson.dumps(result.body)

    @staticmethod
    def _error(out, status, message):
        out["content-type"] = _JSON
        return status, out, faults.fault_body(status, message)
