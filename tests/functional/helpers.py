"""Clouds, clients and assertions shared by the functional tests."""

import contextlib

import httpx

from novalite.cmd.serve import AllInOne
from tests.cloud import Client, make_conf

_VERSION_DOCS = {"", "/", "/v2", "/v2/", "/v2.1", "/v2.1/"}


def check_common_headers(resp: httpx.Response) -> None:
    """Every response carries the request id under both names; every versioned response
    (errors included) echoes the microversion and says it varies by it."""
    request_id = resp.headers.get("x-openstack-request-id")
    assert request_id and request_id.startswith("req-"), dict(resp.headers)
    assert resp.headers.get("x-compute-request-id") == request_id
    path = resp.request.url.path
    if path in _VERSION_DOCS or resp.status_code == 401 or not path.startswith("/v2"):
        return
    vary = resp.headers.get("vary", "")
    assert "OpenStack-API-Version" in vary and "X-OpenStack-Nova-API-Version" in vary, \
        (resp.status_code, dict(resp.headers))
    if resp.status_code not in (400, 406) or "openstack-api-version" in resp.headers:
        version = resp.headers["x-openstack-nova-api-version"]
        assert resp.headers["openstack-api-version"] == "compute " + version


def assert_fault(resp: httpx.Response, status: int, name: str, *fragments: str) -> str:
    """A Nova-format error body: {name: {code, message}}, whose message holds each fragment.
    Returns the message."""
    assert resp.status_code == status, (resp.status_code, resp.text)
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert list(body) == [name], body
    assert body[name]["code"] == status
    message = body[name]["message"]
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def _quick_pool_shutdown():
    """oslo.messaging's RPC servers run on futurist pools, whose idle workers notice a
    shutdown only after MAX_IDLE_FOR (1 s); services stop one by one, so each cloud took
    ~3 s to stop. (Imported here, after novalite has silenced eventlet's warning.)"""
    from futurist import _thread

    _thread.ThreadWorker.MAX_IDLE_FOR = 0.05


@contextlib.contextmanager
def running_cloud(state_dir, computes=2, **overrides):
    """An all-in-one cloud on a free port, stopped on exit (for modules needing their own)."""
    _quick_pool_shutdown()
    aio = AllInOne(make_conf(state_dir, **overrides), computes=computes)
    aio.start_in_thread()
    try:
        yield aio
    finally:
        aio.stop()


def client(cloud, user, project, version="2.96") -> Client:
    """A Client whose every response is checked for the headers every response must carry."""
    c = Client(cloud.compute_url, user, project, version=version)
    c.http.event_hooks["response"].append(check_common_headers)
    return c


@contextlib.contextmanager
def client_pool(cloud):
    """get(user, project[, version]) -> a shared Client; all are closed on exit, so the
    server's shutdown does not wait for their idle keep-alive connections."""
    made = {}

    def get(user, project, version="2.96"):
        key = (user, project, version)
        if key not in made:
            made[key] = client(cloud, user, project, version)
        return made[key]

    try:
        yield get
    finally:
        for c in made.values():
            c.http.close()
