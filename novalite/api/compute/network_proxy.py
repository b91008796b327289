"""What Nova's deprecated network proxy APIs (os-security-groups, os-security-group-rules,
os-floating-ips, os-floating-ip-pools, os-networks, os-tenant-networks) share: they exist up
to microversion 2.35 (404 from 2.36, Nova's MAX_PROXY_API_SUPPORT_VERSION), check their
policy against the caller's project, and forward to network/proxy.py."""

from novalite.api.faults import HTTPError
from novalite.network import proxy


def network(req, rule: str, target: dict | None = None):
    """-> the proxy of the cloud's network API, after the version and policy checks."""
    if req.version.matches(2, 36):
        raise HTTPError(404, "The resource could not be found.")
    req.context.can(rule, {"project_id": req.context.project_id} if target is None
                    else target)
    return proxy.of(req.app.compute_api.network_api)


def gone(req, *args, **kwargs):
    """nova-network's calls removed in Nova 21.0.0 (Ussuri): 410 up to 2.35."""
    if req.version.matches(2, 36):
        raise HTTPError(404, "The resource could not be found.")
    raise HTTPError(410, "Gone")
