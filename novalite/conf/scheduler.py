from oslo_config import cfg

group = cfg.OptGroup("scheduler", help="The scheduler.")

opts = [
    cfg.IntOpt("max_attempts", default=3, min=1,
               help="Hosts a build is tried on (first choice + reschedules)."),
    cfg.ListOpt("enabled_filters",
                default=["ComputeFilter", "AvailabilityZoneFilter", "ComputeCapacityFilter"],
                help="Filters a host must pass, in order."),
    cfg.ListOpt("weighers", default=["RAMWeigher", "ImageCacheWeigher"],
                help="Weighers that rank passing hosts."),
    cfg.FloatOpt("image_cache_weight_multiplier", default=0.5,
                 help="Weight of having the requested image in the host's cache already "
                      "(0 turns it off). Weights are normalised, so below "
                      "ram_weight_multiplier it decides between hosts of equal free RAM and "
                      "does not stop a wave from spreading."),
    cfg.FloatOpt("ram_weight_multiplier", default=1.0,
                 help="Positive spreads instances by free RAM; negative stacks them."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
