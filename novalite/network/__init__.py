"""The compute side's view of networking: servers' addresses come from the network
service's ports (neutron.py), or from the built-in fixed-IP network (api.py) when
[network] backend = builtin."""


def from_conf(conf, database, service_password: str | None = None):
    if conf.network.backend == "builtin":
        from novalite.network.api import NetworkAPI
        return NetworkAPI(conf, database)
    from novalite.network.neutron import NeutronAPI
    return NeutronAPI(conf, service_password)
