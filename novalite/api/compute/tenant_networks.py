"""/os-tenant-networks: the networks the project may use as {id, label, cidr: "None"},
Nova's TenantNetworkController over Neutron. Creating and deleting were nova-network's:
410, as Nova. Up to 2.35 (404 from 2.36)."""

from novalite.api.compute.network_proxy import network
from novalite.network.proxy import tenant_network_dict

_RULE = "os_compute_api:os-tenant-networks:%s"


def list_tenant_networks(req):
    proxy = network(req, _RULE % "list")
    return {"networks": [tenant_network_dict(n) for n in proxy.list_networks(req.context)]}


def show_tenant_network(req, network_id):
    proxy = network(req, _RULE % "show")
    return {"network": tenant_network_dict(proxy.get_network(req.context, network_id))}
