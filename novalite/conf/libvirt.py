from oslo_config import cfg

group = cfg.OptGroup("libvirt", help="The libvirt virt driver (compute_driver = libvirt).")

opts = [
    cfg.StrOpt("connection_uri", default="qemu:///system",
               help="libvirt URI of the hypervisor, e.g. qemu:///system, or test:///default "
                    "(libvirt's in-memory test hypervisor, for tests)."),
    cfg.StrOpt("virt_type", default="qemu", choices=["qemu", "kvm"],
               help="Domain type: qemu (software emulation; works everywhere, also in "
                    "nested virtualization where /dev/kvm hangs guests) or kvm."),
    cfg.IntOpt("wait_soft_reboot_seconds", default=120, min=0,
               help="Seconds a soft reboot waits for the guest to shut down before it "
                    "falls back to a hard reboot."),
    cfg.IntOpt("shutdown_timeout", default=60, min=0,
               help="Seconds a power off waits for the guest's graceful shutdown before "
                    "the guest is destroyed."),
    cfg.IntOpt("spawn_timeout", default=60, min=1,
               help="Seconds a spawn waits for the new guest to run."),
    cfg.StrOpt("default_cmdline", default="root=/dev/vda console=ttyS0",
               help="Kernel command line of direct kernel boots whose image has no "
                    "os_command_line property."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
