"""The EC2 API's ASGI app (EC2 Query protocol), on :8788. Every request goes through
`handle`, whose steps are the middleware of this service, in order: request id -> form
parameters -> SigV4 signature (the EC2 credential's user, project and roles become the
request context) -> Action table -> handler -> EC2 XML, or EC2's error document."""

import dataclasses
import logging
import urllib.parse

from novalite import context as nl_context
from novalite import exception, policy
from novalite.api import asgi
from novalite.api.ec2 import actions, errors, ids, signature, xml
from novalite.api.ec2.params import Params
from novalite.identity.ec2_credentials import EC2CredentialAPI
from novalite.objects.base import utcnow

LOG = logging.getLogger(__name__)

_XML = "text/xml;charset=UTF-8"
_MAX_FIELDS = 10000


@dataclasses.dataclass
class EC2Request:
    action: str
    params: Params
    context: nl_context.RequestContext
    app: "EC2App"
    request_id: str
    version: str | None
    ids: ids.Ids
    base_url: str

    @property
    def compute_api(self):
        return self.app.compute_api


class EC2App(asgi.SyncApp):
    def __init__(self, conf, compute_api, identity_api, id_mapper, client_tokens):
        super().__init__(conf.ec2.public_url, conf.ec2.max_request_threads, "ec2-api",
                         conf.api.max_request_body_size)
        self.conf = conf
        self.compute_api = compute_api
        self.credentials = EC2CredentialAPI(identity_api)
        self.id_mapper = id_mapper
        self.client_tokens = client_tokens  # RunInstances' ClientToken (db/ec2_client_tokens)
        policy.init(conf)

    def body_too_large(self):
        request_id = nl_context.generate_request_id()
        out = {"x-amzn-requestid": request_id, "x-openstack-request-id": request_id,
               "content-type": _XML}
        return self._error(out, errors.InvalidParameterValue(
            "The request body is over %d bytes." % self.max_body_size), request_id)

    def handle(self, method, path, query, headers, body, base_url):
        request_id = nl_context.generate_request_id()
        out = {"x-amzn-requestid": request_id, "x-openstack-request-id": request_id,
               "content-type": _XML}
        action = None
        try:
            params = self._params(method, query, headers, body)
            ctxt = self._authenticate(method, path, query, headers, body, request_id)
            action = params.get("Action")
            if not action:
                raise errors.MissingAction()
            handler = actions.ACTIONS.get(action)
            if handler is None:
                raise errors.InvalidAction("The action %s is not valid for this web service."
                                           % action[:64])
            req = EC2Request(action=action, params=params, context=ctxt, app=self,
                             request_id=request_id, version=params.get("Version"),
                             ids=ids.Ids(self.id_mapper), base_url=base_url)
            result = handler(req)
        except errors.EC2Error as e:
            return self._error(out, e, request_id)
        except exception.NovaliteException as e:
            error = errors.from_domain(e)
            if error.status >= 500:
                LOG.exception("EC2 %s failed (request %s)", action, request_id)
            return self._error(out, error, request_id)
        except Exception:
            LOG.exception("Unexpected error in EC2 %s (request %s)", action, request_id)
            return self._error(out, errors.InternalError(), request_id)
        return 200, out, xml.render_response(action, req.version, request_id, result)

    @staticmethod
    def _error(out, error: errors.EC2Error, request_id: str):
        return error.status, out, xml.render_error(error.code, error.message, request_id)

    @staticmethod
    def _params(method, query, headers, body) -> Params:
        if method not in ("GET", "POST"):
            raise errors.InvalidAction("EC2 actions are sent with POST (or GET).")
        items = list(query.multi_items())
        if method == "POST" and body:
            content_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type not in ("", "application/x-www-form-urlencoded"):
                raise errors.InvalidParameterValue(
                    "The body must be application/x-www-form-urlencoded.")
            try:
                items += urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                                                max_num_fields=_MAX_FIELDS, strict_parsing=False)
            except (UnicodeDecodeError, ValueError):
                raise errors.InvalidParameterValue("The request body is not a valid form."
                                                   ) from None
        if any("\x00" in k or "\x00" in v for k, v in items):
            raise errors.InvalidParameterValue("NUL characters are not allowed.")
        return Params(items)

    def _authenticate(self, method, path, query, headers, body, request_id):
        signed = signature.parse(method, path, query, headers, body)
        try:
            caller = self.credentials.identity_for(signed.access_key)
        except exception.NotAuthenticated:
            raise errors.AuthFailure() from None
        signature.check(signed, caller.secret, utcnow(), self.conf.ec2.max_clock_skew)
        return nl_context.RequestContext(
            user_id=caller.user_id, project_id=caller.project_id, roles=list(caller.roles),
            is_admin="admin" in caller.roles, request_id=request_id,
            global_request_id=headers.get("x-openstack-request-id"),
            user_name=caller.user_name, project_name=caller.project_name)
