import socket

from oslo_config import cfg

opts = [
    cfg.StrOpt("host", default=socket.gethostname(), sample_default="<hostname>",
               help="Name of this node; a compute service is addressed by it over RPC."),
    cfg.StrOpt("state_path", default="./.novalite",
               help="Directory for novalite's state: SQLite database, image store, "
                    "compute hosts' directories."),
    cfg.StrOpt("compute_driver", default="fake", choices=["fake", "libvirt"],
               help="Virt driver used by compute services: fake (in-memory guests) or "
                    "libvirt (QEMU/KVM guests; see [libvirt])."),
    cfg.BoolOpt("force_config_drive", default=False,
                help="Give every new server a config drive, whether it asks or not."),
    cfg.IntOpt("report_interval", default=10, min=1,
               help="Seconds between service heartbeats written to the database."),
    cfg.IntOpt("service_down_time", default=60, min=1,
               help="Seconds without a heartbeat after which a service is down."),
    cfg.IntOpt("reclaim_instance_interval", default=0,
               help="Seconds a deleted server stays SOFT_DELETED (restorable) before the "
                    "host reclaims it; 0 deletes at once (Nova's option)."),
    cfg.IntOpt("shelved_offload_time", default=0, min=-1,
               help="Seconds a shelved server keeps its guest and host before it is "
                    "offloaded; 0 offloads at once, -1 never (Nova's option)."),
    cfg.IntOpt("shelved_poll_interval", default=3600,
               help="Seconds between the host's checks for shelved servers to offload; "
                    "0 or less: never checked."),
    cfg.BoolOpt("allow_resize_to_same_host", default=True,
                help="Whether a resize or cold migration may pick the host the server is "
                     "on (Nova's option, default False there; True here so the one-host "
                     "all-in-one cloud can resize)."),
    cfg.IntOpt("resize_confirm_window", default=0, min=0,
               help="Seconds after which a resize or migration left in VERIFY_RESIZE is "
                    "confirmed automatically; 0: never (Nova's option)."),
    cfg.BoolOpt("vif_plugging_is_fatal", default=True,
                help="What a compute host does when the network service does not report a "
                     "server's port plugged within vif_plugging_timeout (or reports it "
                     "failed): True, the server fails (ERROR); False, it goes on booting, "
                     "assuming the port is ready (Nova's option)."),
    cfg.IntOpt("vif_plugging_timeout", default=300, min=0,
               help="Seconds a compute host waits for the network service's "
                    "network-vif-plugged events before going on or failing (see "
                    "vif_plugging_is_fatal); 0: none is waited for (Nova's option, "
                    "which Nova pairs with vif_plugging_is_fatal False)."),
    cfg.StrOpt("default_availability_zone", default="nova",
               help="Availability zone of compute hosts not placed in another one."),
    cfg.StrOpt("internal_service_availability_zone", default="internal",
               help="Availability zone shown for non-compute services."),
]


def register_opts(conf):
    conf.register_opts(opts)


def list_opts():
    return [("DEFAULT", opts)]
