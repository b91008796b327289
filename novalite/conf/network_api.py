from oslo_config import cfg

group = cfg.OptGroup("network_api", help="The network API (Neutron v2.0).")

opts = [
    cfg.HostAddressOpt("listen", default="127.0.0.1", help="Address the network API binds."),
    cfg.PortOpt("port", default=9696, help="Port of the network API (Neutron's)."),
    cfg.StrOpt("public_url", help="Base URL clients use to reach the network API, e.g. "
                                  "http://controller:9696. Default: from the request."),
    cfg.BoolOpt("in_catalog", default=False,
                help="Register the network API in the identity catalog (service type "
                     "network). Off until the network service covers what clients then "
                     "call instead of the compute API (Nova allocating ports, security "
                     "groups, routers, floating IPs, quotas): with a network endpoint "
                     "listed, openstack and Ansible send those to it."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
