"""novalite's compute API extensions on a keystoneauth1 session.

    from keystoneauth1 import loading, session
    from novalite.client import api

    sess = session.Session(auth=loading.load_auth_from_conf_options(...))  # any auth
    servers = api.multi_show(sess, [id1, id2])          # [server dict, ...]
    image_id = api.backup_instance(sess, id1, "nightly", description="before upgrade")
    job = api.predistribute(sess, image_id, hosts=["compute1"])   # admin only by default
    job = api.wait_for_predistribution(sess, job["id"], on_progress=print)

Every function takes a keystoneauth1 Session or Adapter (or an adapter-like client on one:
novaclient's SessionClient, the SDK's proxies); `compute_adapter` turns either into a plain Adapter
for service type 'compute', keeping the caller's interface, region, endpoint override and
microversion. Error answers raise `ClientError` (or its `NotFound` / `BadRequest` /
`Forbidden`), whose message is the server's own fault message plus the status and request id.

Wire format (API_HISTORY.md, "novalite extensions"):
  POST /servers/multi_show {"servers": [ids], "ignore_missing": bool, "all_tenants": bool}
       -> 200 {"server_info": [server as GET /servers/{id}], "not_found": [ids]}
  POST /servers/{id}/backup_instance {"name": ..., "description": ...} -> 202 {"id": ...}
  POST /os-image-predistribution {"image_id": ..., "hosts" | "aggregate" |
       "availability_zone": ...} -> 202 {"job": JOB}
  GET /os-image-predistribution[/{id}] -> 200 {"jobs": [JOB, ...]} (newest first) | {"job": JOB}
  DELETE /os-image-predistribution/{id} -> 202 (cancels the hosts that have not started)
  JOB = {"id", "image_id", "status", "progress" (0-100), "created_at", "started_at",
         "finished_at", "hosts": [{"host", "state", "bytes_done", "bytes_total", "message"}]}
"""

import time
from urllib.parse import quote

from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import session as ks_session

SERVICE_TYPE = "compute"

PREDISTRIBUTION_PATH = "/os-image-predistribution"
# A job in one of these states changes no more.
JOB_FINISHED = frozenset({"done", "error", "cancelled"})
# The host states that mean "the image is in this host's cache".
HOST_SUCCEEDED = frozenset({"done", "already_cached"})

# The Adapter settings worth carrying over when we rebuild a caller's Adapter.
_ADAPTER_FIELDS = ("service_type", "service_name", "interface", "region_name",
                   "endpoint_override", "version", "auth", "user_agent", "connect_retries",
                   "logger", "allow", "additional_headers", "client_name", "client_version",
                   "allow_version_hack", "global_request_id", "min_version", "max_version",
                   "default_microversion", "status_code_retries", "retriable_status_codes")


class ClientError(Exception):
    """An error answer from the compute API.

    status_code, fault (Nova's fault name, e.g. itemNotFound), message (the server's),
    request_id, and the keystoneauth1/requests `response` for callers that want more.
    """

    def __init__(self, status_code, message, fault=None, request_id=None, response=None):
        self.status_code = status_code
        self.message = message
        self.fault = fault
        self.request_id = request_id
        self.response = response
        text = "%s (HTTP %s%s)" % (message, status_code, ", " + fault if fault else "")
        if request_id:
            text += " (Request-ID: %s)" % request_id
        super().__init__(text)


class BadRequest(ClientError):
    """400: e.g. more servers than the cloud's multi-show limit, or a malformed id."""


class NotFound(ClientError):
    """404: an unknown server (or a cloud without the extension)."""


class Forbidden(ClientError):
    """403: e.g. image pre-distribution as a non-admin (admin only by default)."""


def compute_adapter(session_or_adapter, microversion=None, **overrides):
    """A plain keystoneauth1 Adapter on the compute endpoint.

    An Adapter passed in is copied rather than used as is: subclasses such as novaclient's
    SessionClient return (response, body) and raise their own errors. `microversion`
    (e.g. "2.47") replaces the Adapter's default; `overrides` are Adapter arguments
    (interface, region_name, endpoint_override ...).
    """
    if isinstance(getattr(session_or_adapter, "session", None), ks_session.Session):
        # Duck-typed: novaclient's LegacyJsonAdapter is not an Adapter subclass.
        old = session_or_adapter
        kwargs = {f: getattr(old, f, None) for f in _ADAPTER_FIELDS}
        session = old.session
    elif isinstance(session_or_adapter, ks_session.Session):
        kwargs, session = {}, session_or_adapter
    else:
        raise TypeError("expected a keystoneauth1 Session or Adapter, got %r"
                        % type(session_or_adapter).__name__)
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    kwargs.setdefault("service_type", SERVICE_TYPE)
    if microversion:
        kwargs["default_microversion"] = microversion
    kwargs.update(overrides)
    return ks_adapter.Adapter(session, **kwargs)


def max_microversion(session_or_adapter, **overrides):
    """The compute endpoint's highest microversion as "X.Y", or None if it has none.

    One discovery GET on the endpoint (keystoneauth1 caches it on the session).
    """
    compute = compute_adapter(session_or_adapter, **overrides)
    data = compute.get_endpoint_data()
    if data is None or not data.max_microversion:
        return None
    return "%d.%d" % tuple(data.max_microversion[:2])


class ServerList(list):
    """The servers multi_show found, in the server's order; `not_found` lists the ids it
    skipped (only ever non-empty with ignore_missing=True)."""

    def __init__(self, servers, not_found=()):
        super().__init__(servers)
        self.not_found = list(not_found)


def multi_show(session_or_adapter, ids, ignore_missing=False, all_tenants=False,
               microversion=None):
    """Show many servers in one request: a ServerList of server dicts shaped as
    GET /servers/{id} shapes them at the request's microversion.

    Unknown ids raise NotFound unless ignore_missing (then they are in `.not_found`).
    More ids than the cloud allows in one call (10 by default) raise BadRequest.
    """
    ids = list(dict.fromkeys(ids))  # a server named twice is shown once
    if not ids:
        raise ValueError("multi_show needs at least one server id")
    body = {"servers": ids}
    if ignore_missing:
        body["ignore_missing"] = True
    if all_tenants:
        body["all_tenants"] = True
    data = _post(session_or_adapter, "/servers/multi_show", body, microversion)
    return ServerList(data["server_info"], data.get("not_found", ()))


def backup_instance(session_or_adapter, server_id, name, description=None,
                    microversion=None):
    """Snapshot a server into a new image; returns the image id (the image becomes
    active on the image service once the upload finishes)."""
    body = {"name": name}
    if description is not None:
        body["description"] = description
    path = "/servers/%s/backup_instance" % quote(str(server_id), safe="")
    return _post(session_or_adapter, path, body, microversion)["id"]


def predistribute(session_or_adapter, image_id, hosts=None, aggregate=None,
                  availability_zone=None, microversion=None):
    """Start pushing an image into compute hosts' caches; returns the job dict.

    Targets: `hosts` (names), or an `aggregate` (id or uuid), or an `availability_zone`;
    none of them means every enabled compute host. Admin only by default (Forbidden).
    """
    body = {"image_id": image_id}
    if hosts:
        body["hosts"] = list(hosts)
    if aggregate is not None:
        body["aggregate"] = str(aggregate)
    if availability_zone is not None:
        body["availability_zone"] = availability_zone
    return _post(session_or_adapter, PREDISTRIBUTION_PATH, body, microversion)["job"]


def get_predistribution(session_or_adapter, job_id, microversion=None):
    """One pre-distribution job (dict), with its per-host states."""
    return _request(session_or_adapter, "GET", _job_path(job_id), microversion)["job"]


def list_predistributions(session_or_adapter, microversion=None):
    """All pre-distribution jobs, newest first."""
    return _request(session_or_adapter, "GET", PREDISTRIBUTION_PATH, microversion)["jobs"]


def cancel_predistribution(session_or_adapter, job_id, microversion=None):
    """Cancel a job: hosts that have not started downloading are skipped."""
    _request(session_or_adapter, "DELETE", _job_path(job_id), microversion)


def is_finished(job):
    return job["status"] in JOB_FINISHED


def failed_hosts(job):
    """The hosts of a job that did not end up with the image (error, cancelled ...)."""
    return [h for h in job.get("hosts") or () if h["state"] not in HOST_SUCCEEDED]


def wait_for_predistribution(session_or_adapter, job_id, on_progress=None, interval=0.5,
                             timeout=None, microversion=None):
    """Poll a job until it is finished (done, error or cancelled) and return it.

    `on_progress(job)` is called after every poll, the last one included. A job still
    running after `timeout` seconds raises TimeoutError (the job itself goes on).
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        job = get_predistribution(session_or_adapter, job_id, microversion)
        if on_progress is not None:
            on_progress(job)
        if is_finished(job):
            return job
        if deadline is not None and time.monotonic() >= deadline:
            raise TimeoutError("image pre-distribution job %s still %s after %ss"
                               % (job_id, job["status"], timeout))
        time.sleep(interval)


def _job_path(job_id):
    return "%s/%s" % (PREDISTRIBUTION_PATH, quote(str(job_id), safe=""))


def _post(session_or_adapter, path, body, microversion):
    return _request(session_or_adapter, "POST", path, microversion, body=body)


def _request(session_or_adapter, method, path, microversion, body=None):
    """The decoded JSON answer ({} for an empty one), or the server's error raised."""
    compute = compute_adapter(session_or_adapter, microversion)
    resp = compute.request(path, method, json=body, raise_exc=False)
    if resp.status_code >= 400:
        raise _error(resp)
    if not resp.content:  # 202/204 without a body (DELETE)
        return {}
    try:
        return resp.json()
    except ValueError:
        raise ClientError(resp.status_code, "Invalid JSON in the answer to %s %s: %r"
                          % (method, path, resp.text[:200]), response=resp) from None


def _error(resp):
    """A ClientError from a Nova fault body {"<faultName>": {"code", "message"}}."""
    fault, message = None, None
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and len(body) == 1:
        fault, detail = next(iter(body.items()))
        if isinstance(detail, dict):
            message = detail.get("message")
    if not message:
        message = (resp.text or resp.reason or "").strip()[:500] or "HTTP %d" % resp.status_code
    request_id = (resp.headers.get("x-openstack-request-id")
                  or resp.headers.get("x-compute-request-id"))
    cls = {400: BadRequest, 403: Forbidden, 404: NotFound}.get(resp.status_code, ClientError)
    return cls(resp.status_code, message, fault=fault, request_id=request_id, response=resp)
