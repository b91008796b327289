"""Authentication strategies: each turns a request's headers into a RequestContext or
raises Unauthorized. Chosen by [api] auth_strategy:

- embedded: tokens of novalite's own identity service, validated in-process (the default
  once the identity service runs; see novalite/identity/);
- keystone: tokens of an operator's Keystone, validated by keystonemiddleware's auth_token
  (configured in [keystone_authtoken], as for Nova);
- noauth2: Nova's test mode, X-Auth-Token 'user:project' trusted as given. Tests only.
"""

import io

from novalite import exception
from novalite.context import RequestContext


class Unauthorized(Exception):
    pass


def _context(headers, request_id, *, user_id, project_id, roles, user_name=None,
             project_name=None) -> RequestContext:
    return RequestContext(user_id=user_id, project_id=project_id, roles=list(roles),
                          is_admin="admin" in roles, request_id=request_id,
                          global_request_id=headers.get("x-openstack-request-id"),
                          user_name=user_name, project_name=project_name)


def _token(headers) -> str:
    token = headers.get("x-auth-token")
    if not token:
        raise Unauthorized("Authentication required")
    return token


def noauth2(headers, request_id: str) -> RequestContext:
    """Nova's noauth2: X-Auth-Token is 'user:project'; the user 'admin' is an administrator.
    For tests and development only: it trusts whatever the caller says.

    novalite's addition, so tests can tell readers from members: 'user:project:reader' has
    the reader role only (Nova's project-reader persona)."""
    user_id, _, rest = _token(headers).partition(":")
    project_id, _, persona = rest.partition(":")
    project_id = project_id or user_id
    roles = ["admin", "member", "reader"] if user_id == "admin" else ["member", "reader"]
    if persona == "reader":
        roles = ["reader"]
    return _context(headers, request_id, user_id=user_id, project_id=project_id, roles=roles)


class EmbeddedTokens:
    """Tokens of novalite's identity service, checked in-process (no HTTP round trip)."""

    def __init__(self, identity_api):
        self.identity_api = identity_api

    def __call__(self, headers, request_id: str) -> RequestContext:
        try:
            info = self.identity_api.validate_token(_token(headers))
        except exception.NotAuthenticated as e:
            raise Unauthorized("The request you have made requires authentication.") from e
        if not info.project_id:
            raise Unauthorized("A project-scoped token is required.")
        return _context(headers, request_id, user_id=info.user_id, project_id=info.project_id,
                        roles=info.roles, user_name=info.user_name,
                        project_name=info.project_name)


class KeystoneMiddleware:
    """Tokens of an external Keystone, checked by keystonemiddleware's auth_token with its
    caching and revocation handling: we hand it a minimal WSGI request and read the identity
    headers it sets."""

    def __init__(self, conf):
        from keystonemiddleware import auth_token

        self._middleware = auth_token.AuthProtocol(self._accepted,
                                                   {"oslo_config_config": conf})

    @staticmethod
    def _accepted(environ, start_response):
        start_response("200 OK", [])
        return [environ]

    def __call__(self, headers, request_id: str) -> RequestContext:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "novalite",
                   "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
                   "HTTP_X_AUTH_TOKEN": _token(headers)}
        statuses = []
        result = self._middleware(environ, lambda status, *_: statuses.append(status))
        passed = [item for item in result if isinstance(item, dict)]
        if not statuses or not statuses[0].startswith("200") or not passed:
            raise Unauthorized("The request you have made requires authentication.")
        env = passed[0]
        if env.get("HTTP_X_IDENTITY_STATUS") != "Confirmed" or not env.get(
                "HTTP_X_PROJECT_ID"):
            raise Unauthorized("A project-scoped token is required.")
        roles = [r.strip() for r in env.get("HTTP_X_ROLES", "").split(",") if r.strip()]
        return _context(headers, request_id, user_id=env.get("HTTP_X_USER_ID"),
                        project_id=env["HTTP_X_PROJECT_ID"], roles=roles,
                        user_name=env.get("HTTP_X_USER_NAME"),
                        project_name=env.get("HTTP_X_PROJECT_NAME"))


def from_conf(conf, identity_api=None):
    strategy = conf.api.auth_strategy
    if strategy == "noauth2":
        return noauth2
    if strategy == "keystone":
        return KeystoneMiddleware(conf)
    if identity_api is None:
        raise ValueError("auth_strategy 'embedded' needs the identity service")
    return EmbeddedTokens(identity_api)
