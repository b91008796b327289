"""The compute API's ASGI app. Every request goes through `handle`, whose steps are the
middleware of this service, in order: request id -> version documents (no auth) -> auth ->
microversion -> project id in the URL -> route -> handler -> fault mapping."""

import json
import logging
import re

import orjson

from novalite import context as nl_context
from novalite import exception, policy
from novalite.api import asgi, auth, faults, microversion
from novalite.api.compute import routes, versions
from novalite.api.request import ApiRequest, ApiResponse
from novalite.api.router import Router

LOG = logging.getLogger(__name__)

_PATH_RE = re.compile(r"^/(v2\.1|v2)(/.*)?$")
_JSON = "application/json"


class ComputeApp(asgi.SyncApp):
    def __init__(self, conf, compute_api, authenticate=None):
        super().__init__(conf.api.public_url, conf.api.max_request_threads, "compute-api",
                         conf.api.max_request_body_size)
        self.conf = conf
        self.compute_api = compute_api
        self.authenticate = authenticate or auth.from_conf(conf)
        policy.init(conf)  # reads policy.yaml overrides once, at start
        self.router = Router(routes.ROUTES)
        self.collections = routes.collections()

    def body_too_large(self):
        request_id = nl_context.generate_request_id()
        out = {"x-openstack-request-id": request_id, "x-compute-request-id": request_id}
        return self._error(out, 413, "Request is too large: the body is over %d bytes."
                           % self.max_body_size)

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
            ctxt = self.authenticate(headers, request_id)
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
        if "\x00" in path or any("\x00" in k + v for k, v in query.multi_items()):
            # No database takes NUL in text; PostgreSQL would fail with a 500.
            return self._error(out, 400, "NUL characters are not allowed in the URL.")
        project_prefix = ""
        segments = rest.split("/", 2)
        if len(segments) > 1 and segments[1] and segments[1] not in self.collections:
            # /{project_id}/<route>, as Nova still accepts; anything else is a plain 404.
            project_id = segments[1]
            rest = "/" + (segments[2] if len(segments) > 2 else "")
            if self.router.match(method, rest or "/") == (None, None):
                return self._error(out, 404, "The resource could not be found.")
            if project_id != ctxt.project_id:
                return self._error(out, 400, "Malformed request URL: URL's project_id '%s' "
                                   "doesn't match Context's project_id '%s'"
                                   % (project_id, ctxt.project_id))
            project_prefix = "/" + project_id
        handler, params = self.router.match(method, rest or "/")
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
            return self._error(out, status or 500, e.message)  # NotSupported: Nova's 501
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
