from oslo_config import cfg

group = cfg.OptGroup("network_quotas", help="Default limits of the network service, per "
                                            "project (Neutron's [quotas]; -1: no limit).")

DEFAULTS = {"network": 100, "subnet": 100, "port": 500, "router": 10, "floatingip": 50,
            "security_group": 10, "security_group_rule": 100}

opts = [cfg.IntOpt(name, default=value, min=-1, help="%ss a project may have." % name)
        for name, value in DEFAULTS.items()]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
