from oslo_config import cfg

group = cfg.OptGroup("network", help="Where servers get their addresses: ports of the "
                                     "network service (Neutron's API, as Nova's [neutron]), "
                                     "or a built-in fixed-IP network.")

opts = [
    cfg.StrOpt("backend", default="service", choices=[
        ("service", "ports of the network service (novalite's Neutron API)"),
        ("builtin", "one fixed-IP network in the compute database, no network service")],
        help="How servers are given networks."),
    cfg.URIOpt("url", help="The network API's URL for compute services, e.g. "
                           "http://controller:9696. Default: this machine's [network_api] "
                           "listen address and port."),
    cfg.IntOpt("timeout", default=30, min=1, help="Seconds a call to the network API may "
                                                   "take."),
    cfg.StrOpt("name", default="private", help="builtin: name of the network."),
    cfg.StrOpt("cidr", default="10.0.0.0/16", help="builtin: CIDR fixed IPs are allocated "
                                                   "from."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
