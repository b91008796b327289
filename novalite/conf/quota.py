from oslo_config import cfg

group = cfg.OptGroup("quota", help="Default per-project quotas (Nova's [quota] options). "
                                   "os-quota-sets overrides them per project; -1 means "
                                   "unlimited.")

opts = [
    cfg.IntOpt("instances", default=10, min=-1, help="Servers per project."),
    cfg.IntOpt("cores", default=20, min=-1, help="Virtual CPUs per project."),
    cfg.IntOpt("ram", default=51200, min=-1, help="RAM (MiB) per project."),
    cfg.IntOpt("metadata_items", default=128, min=-1, help="Metadata items per server."),
    cfg.IntOpt("injected_files", default=5, min=-1,
               help="Injected files per server (reported before microversion 2.57; "
                    "novalite accepts no personality files)."),
    cfg.IntOpt("injected_file_content_bytes", default=10240, min=-1,
               help="Bytes per injected file (reported before 2.57)."),
    cfg.IntOpt("injected_file_path_length", default=255, min=-1,
               help="Path length of an injected file (reported before 2.57)."),
    cfg.IntOpt("key_pairs", default=100, min=-1,
               help="Key pairs per user (the limit of the project the user creates them "
                    "in)."),
    cfg.IntOpt("server_groups", default=10, min=-1, help="Server groups per project."),
    cfg.IntOpt("server_group_members", default=10, min=-1,
               help="Servers per server group."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
