"""/os-networks: the networks the project may use, in Nova's neutron-backed network_dict
(id and label; the other fields null, and more of them for an administrator). Creating,
deleting and the actions were nova-network's: 410, as Nova. Up to 2.35 (404 from 2.36)."""

from novalite.api.compute.network_proxy import network
from novalite.network.proxy import network_dict

_RULE = "os_compute_api:os-networks:%s"


def list_networks(req):
    proxy = network(req, _RULE % "list")
    return {"networks": [network_dict(req.context, n, proxy.network_cidr(n))
                         for n in proxy.list_networks(req.context)]}


def show_network(req, network_id):
    proxy = network(req, _RULE % "show")
    found = proxy.get_network(req.context, network_id)
    return {"network": network_dict(req.context, found, proxy.network_cidr(found))}
