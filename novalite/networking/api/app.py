"""The network API's ASGI app (Neutron v2.0 wire format), on :9696. Each request: request
id -> version documents (no auth) -> auth -> route -> handler; errors are Neutron's
{"NeutronError": {"type", "message", "detail"}}."""

import dataclasses
import logging

import orjson

from novalite import context as nl_context
from novalite import policy
from novalite.api import asgi, auth
from novalite.api.router import Router
from novalite.networking import exceptions
from novalite.networking.api import routes

LOG = logging.getLogger(__name__)
_JSON = "application/json"
_UNAUTHENTICATED_PATHS = ("", "/v2.0")  # the version documents, as Neutron's


@dataclasses.dataclass
class Request:
    method: str
    path: str
    query: object
    headers: object
    body: bytes
    context: object
    app: object
    base_url: str

    def json(self):
        if not self.body:
            raise exceptions.HTTPBadRequest(message="Resource body required")
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            raise exceptions.HTTPBadRequest(message="Malformed JSON in request body"
                                            ) from None


class NetworkApp(asgi.SyncApp):
    def __init__(self, conf, service, authenticate):
        super().__init__(conf.network_api.public_url, conf.api.max_request_threads,
                         "network-api", conf.api.max_request_body_size)
        self.conf = conf
        self.service = service
        self.authenticate = authenticate
        policy.init(conf)
        self.router = Router(routes.ROUTES)

    def body_too_large(self):
        return self._error({}, exceptions.HTTPBadRequest(message="Request body too large"),
                           413)

    def handle(self, method, path, query, headers, body, base_url):
        request_id = nl_context.generate_request_id()
        out = {"x-openstack-request-id": request_id}
        if path.endswith(".json"):  # Neutron's format suffix: /v2.0/networks.json
            path = path[:-len(".json")]
        handler, params = self.router.match(method, path)
        if handler is None:
            if params is not None:
                out["allow"] = ", ".join(params)
                return self._error(out, _MethodNotAllowed())
            return self._error(out, exceptions.HTTPNotFound())
        ctxt = None
        if path.rstrip("/") not in _UNAUTHENTICATED_PATHS:
            try:
                ctxt = self.authenticate(headers, request_id)
            except auth.Unauthorized:
                out["www-authenticate"] = "Keystone"
                return 401, {**out, "content-type": _JSON}, orjson.dumps({"error": {
                    "code": 401, "title": "Unauthorized",
                    "message": "The request you have made requires authentication."}})
        req = Request(method=method, path=path, query=query, headers=headers, body=body,
                      context=ctxt, app=self, base_url=base_url)
        try:
            status, result = handler(req, **params)
        except exceptions.NeutronException as e:
            if e.status >= 500:
                LOG.exception("%s %s failed (request %s)", method, path, request_id)
            return self._error(out, e)
        except Exception:
            LOG.exception("Unexpected error in %s %s (request %s)", method, path, request_id)
            return self._error(out, exceptions.NeutronException())
        if result is None:
            return status, out, b""
        out["content-type"] = _JSON
        return status, out, orjson.dumps(result)

    @staticmethod
    def _error(out, error, status=None):
        out["content-type"] = _JSON
        return status or error.status, out, orjson.dumps({"NeutronError": {
            "type": error.type, "message": error.message, "detail": ""}})


class _MethodNotAllowed(exceptions.NeutronException):
    status = 405
    msg_fmt = "The method is not allowed for this resource."

    @property
    def type(self) -> str:
        return "HTTPMethodNotAllowed"
