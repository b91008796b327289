from oslo_config import cfg

group = cfg.OptGroup("conductor", help="The conductor service.")

opts = [
    cfg.IntOpt("build_timeout", default=600, min=1,
               help="Seconds an instance may stay in BUILD without progress before the "
                    "conductor fails it (e.g. its compute host died)."),
    cfg.IntOpt("build_check_interval", default=30, min=1,
               help="Seconds between checks for stuck builds."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
