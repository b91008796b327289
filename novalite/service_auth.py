"""The sessions services use to call each other's HTTP APIs (a compute host the image and
network APIs, the network service the compute API), on keystoneauth1 with the service
user's token, as Nova's [service_user] and Neutron's [nova] sections give them.

No token or password is ever logged here (keystoneauth1 logs only a token's hash).
"""

import requests
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from keystoneauth1.identity import v3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

# What a service says when the APIs trust noauth2 tokens ('user:project', tests only). The
# user must be 'admin': noauth2 makes only that user an administrator, and a service has to
# act on every project's resources, as the service user can.
NOAUTH2_SERVICE_TOKEN = "admin:service"


def local_url(listen: str, port: int) -> str:
    host = "127.0.0.1" if listen in ("0.0.0.0", "::", "") else listen
    return "http://%s:%d" % (host if ":" not in host else "[%s]" % host, port)


def session(conf, noauth_endpoint: str, service_password: str | None = None
            ) -> ks_session.Session:
    """A noauth2 token for noauth_endpoint when the APIs run noauth2, else the service
    user's password (given in-process by the all-in-one, or from [service_user])."""
    if conf.api.auth_strategy == "noauth2":
        return _session(token_endpoint.Token(noauth_endpoint, NOAUTH2_SERVICE_TOKEN))
    opts = conf.service_user
    auth_url, password = opts.auth_url, opts.password
    if service_password is not None and conf.api.auth_strategy == "embedded":
        auth_url = auth_url or local_url(conf.identity.listen, conf.identity.port) + "/v3"
        password = service_password
    if not auth_url or not password:
        return _session(None)  # every call fails with a clear 401 message
    return _session(v3.Password(
        auth_url=auth_url, username=opts.username, password=password,
        project_name=opts.project_name, user_domain_name=opts.user_domain_name,
        project_domain_name=opts.project_domain_name))


def _session(auth) -> ks_session.Session:
    # Services call each other directly: no proxies or .netrc from the environment, which
    # requests would otherwise look up again on every call (a third of a call's CPU).
    http = requests.Session()
    http.trust_env = False
    # A keep-alive connection the server closed as it was reused (uvicorn drops idle ones)
    # fails before the request is read: idempotent calls go again, on a new connection.
    retry = Retry(total=2, connect=2, read=2, status=0, backoff_factor=0.05,
                  allowed_methods=frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}),
                  raise_on_status=False)
    for scheme in ("http://", "https://"):
        http.mount(scheme, HTTPAdapter(max_retries=retry))
    return ks_session.Session(auth=auth, session=http)
