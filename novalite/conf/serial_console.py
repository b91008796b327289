from oslo_config import cfg

group = cfg.OptGroup("serial_console", help="Serial consoles and their WebSocket proxy.")

opts = [
    cfg.BoolOpt("enabled", default=True,
                help="Whether servers have interactive serial consoles (Nova's default is "
                     "off; novalite's libvirt guests always have one)."),
    cfg.StrOpt("serialproxy_host", default="127.0.0.1",
               help="Address the serial console WebSocket proxy listens on."),
    cfg.PortOpt("serialproxy_port", default=6083, help="Port of the serial proxy."),
    cfg.StrOpt("base_url", default="",
               help="The URL serial console answers start with; empty: "
                    "ws://<serialproxy_host>:<serialproxy_port>/."),
]


def register_opts(conf):
    conf.register_opts(opts, group=group.name)


def list_opts():
    return [(group.name, opts)]
