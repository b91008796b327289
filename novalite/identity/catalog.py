"""The service catalog tokens carry, built from configuration so that every process of a
distributed deployment publishes the same, reachable URLs:

    identity  [identity] public_url + /v3     (default http://<[identity] listen>:<port>)
    compute   [api] public_url + /v2.1        (novaclient needs the versioned URL)
    image     [image] public_url, unversioned (novaclient appends /v2/images itself)
    ec2       [ec2] public_url (the EC2 query API's endpoint, for boto3)

each with the public, internal and admin interfaces in [identity] region_name. When a
service listens on a wildcard address and has no public_url, the host the client used to
reach the identity service stands in. No network service: with one listed, clients go
looking for Neutron.
"""

import uuid

_WILDCARDS = {"", "0.0.0.0", "::", "[::]"}
_INTERFACES = ("public", "internal", "admin")
_NAMESPACE = uuid.UUID("6c1e2f5a-6d2b-4c4e-9a4f-7e0b3c1d2a10")


def _stable_id(*parts) -> str:
    """The same id in every process and on every start."""
    return uuid.uuid5(_NAMESPACE, "/".join(parts)).hex


def base_url(public_url: str | None, listen: str, port: int, client_host: str | None) -> str:
    if public_url:
        return public_url.rstrip("/")
    host = listen
    if host in _WILDCARDS:
        host = client_host or "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = "[%s]" % host  # IPv6 literal
    return "http://%s:%d" % (host, port)


class Catalog:
    def __init__(self, conf):
        self.conf = conf
        self.region = conf.identity.region_name
        self._by_host: dict[str | None, list[dict]] = {}

    def identity_url(self, client_host: str | None = None) -> str:
        """The identity service's base URL (without /v3)."""
        c = self.conf.identity
        return base_url(c.public_url, c.listen, c.port, client_host)

    def urls(self, client_host: str | None = None) -> dict[str, tuple[str, str]]:
        """service type -> (service name, URL)."""
        api, image, network = self.conf.api, self.conf.image, self.conf.network_api
        urls = {
            "identity": ("keystone", self.identity_url(client_host) + "/v3"),
            "compute": ("nova", base_url(api.public_url, api.listen, api.port, client_host)
                        + "/v2.1"),
            "image": ("glance", base_url(image.public_url, image.listen, image.port,
                                         client_host)),
            "ec2": ("ec2", base_url(self.conf.ec2.public_url, self.conf.ec2.listen,
                                    self.conf.ec2.port, client_host)),
        }
        if network.in_catalog:
            urls["network"] = ("neutron", base_url(network.public_url, network.listen,
                                                   network.port, client_host))
        return urls

    def for_host(self, client_host: str | None = None) -> list[dict]:
        """The catalog as tokens carry it. Shared between responses: do not modify."""
        catalog = self._by_host.get(client_host)
        if catalog is None:
            catalog = []
            for service_type, (name, url) in self.urls(client_host).items():
                endpoints = [{"id": _stable_id(service_type, interface, url),
                              "interface": interface, "region": self.region,
                              "region_id": self.region, "url": url}
                             for interface in _INTERFACES]
                catalog.append({"type": service_type, "name": name,
                                "id": _stable_id(service_type), "endpoints": endpoints})
            if len(self._by_host) < 64:  # Host headers come from clients: keep a few
                self._by_host[client_host] = catalog
        return catalog
