from oslo_config import cfg

group = cfg.OptGroup("fake", help="The fake virt driver: in-memory guests.")

opts = [
    cfg.IntOpt("vcpus", default=16, min=1, help="vCPUs each fake host reports."),
    cfg.IntOpt("memory_mb", default=32768, min=1, help="RAM (MiB) each fake host reports."),
    cfg.IntOpt("disk_gb", default=1000, min=1, help="Disk (GiB) each fake host reports."),
    cfg.FloatOpt("spawn_delay", default=0.0, min=0.0,
                 help="Seconds a spawn takes, to simulate a real hypervisor."),
    cfg.DictOpt("operation_delays", default={},
                help="Seconds each operation takes, by name (reboot, power_off, power_on, "
                     "pause, unpause, suspend, resume, trigger_crash_dump), e.g. "
                     "pause:0.5,suspend:1."),
    cfg.ListOpt("fail_spawn_hosts", default=[],
                help="Hosts on which every spawn fails (for testing reschedules)."),
    cfg.ListOpt("fail_snapshot_hosts", default=[],
                help="Hosts on which every snapshot fails (for testing backup failures)."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
