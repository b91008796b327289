from oslo_config import cfg

group = cfg.OptGroup("compute", help="Compute hosts.")

opts = [
    cfg.IntOpt("max_concurrent_builds", default=10, min=1,
               help="Builds a compute host runs at once; others wait their turn."),
    cfg.IntOpt("update_resources_interval", default=60, min=1,
               help="Seconds between full resource-tracker refreshes."),
    cfg.FloatOpt("cpu_allocation_ratio", default=4.0, min=0.0,
                 help="Virtual CPUs per physical CPU the scheduler and claims allow."),
    cfg.FloatOpt("ram_allocation_ratio", default=1.0, min=0.0,
                 help="Virtual RAM per physical RAM the scheduler and claims allow."),
    cfg.FloatOpt("disk_allocation_ratio", default=1.0, min=0.0,
                 help="Virtual disk per physical disk the scheduler and claims allow."),
    cfg.IntOpt("sync_power_state_interval", default=600,
               help="Seconds between syncs of the database's power states with the "
                    "hypervisor's (as Nova's option of this name); 0 or less: never."),
    cfg.StrOpt("instances_path", help="Directory of this host's instance disks and image "
                                      "cache. Default: <state_path>/hosts/<host>."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
