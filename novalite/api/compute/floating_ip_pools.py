"""GET /os-floating-ip-pools: the external networks, by name (Nova's
FloatingIPPoolsController). Up to 2.35 (404 from 2.36)."""

from novalite.api.compute.network_proxy import network


def list_floating_ip_pools(req):
    proxy = network(req, "os_compute_api:os-floating-ip-pools", target={})
    return {"floating_ip_pools": proxy.floating_ip_pools(req.context)}
