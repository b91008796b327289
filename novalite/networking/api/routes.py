"""The network API's one route table: path template -> {method: handler}."""

from novalite.networking.api import auto_allocate, quotas, resources, versions
from novalite.networking.api.resources import (
    AGENTS,
    FLOATING_IPS,
    NETWORKS,
    PORTS,
    ROUTERS,
    SECURITY_GROUP_RULES,
    SECURITY_GROUPS,
    SUBNETS,
)

ROUTES = [
    ("/", {"GET": versions.versions}),
    ("/v2.0", {"GET": versions.resources}),
    ("/v2.0/extensions", {"GET": versions.list_extensions}),
    ("/v2.0/extensions/{alias}", {"GET": versions.show_extension}),
]
for _resource in (NETWORKS, SUBNETS, PORTS, SECURITY_GROUPS, ROUTERS, FLOATING_IPS):
    ROUTES += [
        ("/v2.0/%s/{resource_id}/tags" % _resource.path, {
            "GET": _resource.list_tags, "PUT": _resource.replace_tags,
            "DELETE": _resource.delete_tags}),
        ("/v2.0/%s/{resource_id}/tags/{tag}" % _resource.path, {
            "GET": _resource.check_tag, "PUT": _resource.add_tag,
            "DELETE": _resource.remove_tag}),
    ]
    ROUTES += [
        ("/v2.0/%s" % _resource.path, {"GET": _resource.list, "POST": _resource.create}),
        ("/v2.0/%s/{resource_id}" % _resource.path, {
            "GET": _resource.show, "PUT": _resource.update, "DELETE": _resource.delete}),
    ]
ROUTES += [
    ("/v2.0/security-group-rules", {"GET": SECURITY_GROUP_RULES.list,
                                    "POST": SECURITY_GROUP_RULES.create}),
    # Rules are not updated: a changed rule is a new one.
    ("/v2.0/security-group-rules/{resource_id}", {"GET": SECURITY_GROUP_RULES.show,
                                                  "DELETE": SECURITY_GROUP_RULES.delete}),
]
ROUTES += [
    ("/v2.0/routers/{resource_id}/add_router_interface",
     {"PUT": resources.add_router_interface}),
    ("/v2.0/routers/{resource_id}/remove_router_interface",
     {"PUT": resources.remove_router_interface}),
]
ROUTES += [
    ("/v2.0/quotas", {"GET": quotas.list_quotas}),
    ("/v2.0/quotas/{project_id}", {"GET": quotas.show_quota, "PUT": quotas.update_quota,
                                   "DELETE": quotas.reset_quota}),
    ("/v2.0/quotas/{project_id}/default", {"GET": quotas.show_default}),
    ("/v2.0/quotas/{project_id}/details", {"GET": quotas.show_details}),
]
ROUTES += [  # agents report themselves (over RPC): no create
    ("/v2.0/agents", {"GET": AGENTS.list}),
    ("/v2.0/agents/{resource_id}", {"GET": AGENTS.show, "PUT": AGENTS.update,
                                    "DELETE": AGENTS.delete}),
]
ROUTES += [
    ("/v2.0/auto-allocated-topology/{project_id}", {
        "GET": auto_allocate.show_topology, "DELETE": auto_allocate.delete_topology}),
]
