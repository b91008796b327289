from oslo_config import cfg

group = cfg.OptGroup("network", help="The built-in fixed-IP network used for 'auto'.")

opts = [
    cfg.StrOpt("name", default="private", help="Name of the default network."),
    cfg.StrOpt("cidr", default="10.0.0.0/16", help="CIDR fixed IPs are allocated from."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
