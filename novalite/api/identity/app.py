"""The identity API's ASGI app (Keystone v3 wire format), on :5000. Every request goes
through `handle`, whose steps are the middleware of this service, in order: request id ->
version documents (no token) -> route -> token (except to authenticate) -> handler ->
Keystone error mapping."""

import logging

import orjson

from novalite import context as nl_context
from novalite import exception, policy
from novalite.api import asgi, faults
from novalite.api.identity import errors, routes, versions
from novalite.api.request import ApiRequest, ApiResponse
from novalite.api.router import Router

LOG = logging.getLogger(__name__)

_JSON = "application/json"


class IdentityApp(asgi.SyncApp):
    def __init__(self, conf, identity_api):
        super().__init__(conf.identity.public_url, conf.identity.max_request_threads,
                         "identity-api", conf.api.max_request_body_size)
        self.conf = conf
        self.identity_api = identity_api
        policy.init(conf)
        self.router = Router(routes.ROUTES)

    def body_too_large(self):
        out = {"x-openstack-request-id": nl_context.generate_request_id()}
        return self._error(out, 413, "Request is too large: the body is over %d bytes."
                           % self.max_body_size)

    def handle(self, method, path, query, headers, body, base_url):
        request_id = nl_context.generate_request_id()
        out = {"x-openstack-request-id": request_id, "vary": "X-Auth-Token"}
        doc = versions.document_for(path, base_url)
        if doc is not None:
            status, body_doc = doc
            out["content-type"] = _JSON
            return status, out, orjson.dumps(body_doc)
        if not path.startswith("/v3/"):
            return self._error(out, 404, "The resource could not be found.")
        rest = path[3:].rstrip("/") or "/"
        handler, params = self.router.match(method, rest)
        if handler is None:
            if params is not None:
                out["allow"] = ", ".join(params)
                return self._error(out, 405, "The method is not allowed for the requested "
                                             "URL.")
            return self._error(out, 404, "The resource could not be found.")
        ctxt = None
        if handler not in routes.PUBLIC:
            ctxt = self._authenticate(headers, request_id)
            if ctxt is None:
                return self._unauthorized(out, base_url)
        req = ApiRequest(method=method, path=rest, query=query, headers=headers, body=body,
                         context=ctxt, version=None, app=self, base_url=base_url,
                         version_prefix="/v3")
        try:
            result = handler(req, **params)
        except faults.HTTPError as e:
            out.update(e.headers)
            return self._error(out, e.status, e.message)
        except exception.NotAuthenticated:
            return self._unauthorized(out, base_url)
        except exception.NovaliteException as e:
            status = faults.status_for(e)
            if status is None or status >= 500:
                LOG.exception("%s %s failed (request %s)", method, path, request_id)
                return self._error(out, 500, "An unexpected error prevented the server "
                                             "from fulfilling your request.")
            return self._error(out, status, e.message)
        except Exception:
            LOG.exception("Unexpected error in %s %s (request %s)", method, path, request_id)
            return self._error(out, 500, "An unexpected error prevented the server from "
                                         "fulfilling your request.")
        if not isinstance(result, ApiResponse):
            result = ApiResponse(200, result)
        out.update(result.headers)
        if result.body is None or result.status == 204:
            return result.status, out, b""
        out["content-type"] = _JSON
        return result.status, out, orjson.dumps(result.body)

    def _authenticate(self, headers, request_id):
        token = headers.get("x-auth-token")
        if not token:
            return None
        try:
            info = self.identity_api.validate_token(token)
        except exception.NotAuthenticated:
            return None
        return nl_context.RequestContext(
            user_id=info.user_id, project_id=info.project_id, roles=list(info.roles),
            is_admin=info.is_admin, request_id=request_id,
            global_request_id=headers.get("x-openstack-request-id"),
            user_name=info.user_name, project_name=info.project_name)

    def _unauthorized(self, out, base_url):
        out["www-authenticate"] = 'Keystone uri="%s/v3"' % base_url
        return self._error(out, 401, exception.NotAuthenticated.msg_fmt)

    @staticmethod
    def _error(out, status, message):
        out["content-type"] = _JSON
        return status, out, errors.error_body(status, message)
