"""The networks a new cloud starts with, as DevStack gives a user: an external network
`public` (the admin project's, with a subnet floating IPs come from) and, for the demo
project, a network `private` with its subnet and a router `router1` between the two.
Made once; a later start finds them by name and leaves them (and what the operator
changed) alone."""

import logging

from novalite import context as nl_context

LOG = logging.getLogger(__name__)


def ensure_default(service, conf, admin_project_id: str, demo_project_id: str) -> dict:
    """-> {"public": id, "private": id, "router": id}."""
    opts = conf.network_api
    admin = nl_context.RequestContext(user_id="novalite-bootstrap",
                                      project_id=admin_project_id, roles=["admin"],
                                      is_admin=True)
    public = _network(service, admin, admin_project_id, "public", {
        "router:external": True, "is_default": True}, opts.public_cidr, "public-subnet",
        gateway=opts.public_gateway)
    private = _network(service, admin, demo_project_id, "private", {}, opts.private_cidr,
                       "private-subnet")
    routers = service.routers.list(admin, {"name": ["router1"],
                                           "project_id": [demo_project_id]}, [], None, None)
    if routers:
        return {"public": public["id"], "private": private["id"], "router": routers[0]["id"]}
    router = service.routers.create(admin, {
        "name": "router1", "project_id": demo_project_id,
        "external_gateway_info": {"network_id": public["id"]}})
    service.routers.add_interface(admin, router["id"], {"subnet_id": private["subnets"][0]})
    LOG.info("Default topology made: public %s, private %s, router1 %s", public["id"],
             private["id"], router["id"])
    return {"public": public["id"], "private": private["id"], "router": router["id"]}


def _network(service, admin, project_id, name, extra, cidr, subnet_name, gateway=None):
    found = service.networks.list(admin, {"name": [name], "project_id": [project_id]}, [],
                                  None, None)
    if found:
        return found[0]
    network = service.networks.create(admin, {"name": name, "project_id": project_id,
                                              **extra})
    body = {"network_id": network["id"], "name": subnet_name, "project_id": project_id,
            "ip_version": 4, "cidr": cidr}
    if gateway:
        body["gateway_ip"] = gateway
    subnet = service.subnets.create(admin, body)
    return {**network, "subnets": [subnet["id"]]}
