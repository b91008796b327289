from oslo_config import cfg

group = cfg.OptGroup("consoleauth", help="Remote console tokens.")

opts = [
    cfg.IntOpt("token_ttl", default=600, min=1,
               help="Seconds a console URL's token stays valid if unused; a token opens "
                    "one connection (Nova's option)."),
]


def register_opts(conf):
    conf.register_opts(opts, group=group.name)


def list_opts():
    return [(group.name, opts)]
