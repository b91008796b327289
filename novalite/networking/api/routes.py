"""The network API's one route table: path template -> {method: handler}."""

from novalite.networking.api import versions
from novalite.networking.api.resources import NETWORKS, PORTS, SUBNETS

ROUTES = [
    ("/", {"GET": versions.versions}),
    ("/v2.0", {"GET": versions.resources}),
    ("/v2.0/extensions", {"GET": versions.list_extensions}),
    ("/v2.0/extensions/{alias}", {"GET": versions.show_extension}),
]
for _resource in (NETWORKS, SUBNETS, PORTS):
    ROUTES += [
        ("/v2.0/%s" % _resource.collection, {"GET": _resource.list,
                                             "POST": _resource.create}),
        ("/v2.0/%s/{resource_id}" % _resource.collection, {
            "GET": _resource.show, "PUT": _resource.update, "DELETE": _resource.delete}),
    ]
