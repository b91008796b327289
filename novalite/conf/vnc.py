from oslo_config import cfg

group = cfg.OptGroup("vnc", help="VNC consoles and their noVNC proxy.")

opts = [
    cfg.BoolOpt("enabled", default=True, help="Whether servers have VNC consoles."),
    cfg.StrOpt("novncproxy_host", default="127.0.0.1",
               help="Address the noVNC WebSocket proxy listens on."),
    cfg.PortOpt("novncproxy_port", default=6080, help="Port of the noVNC proxy."),
    cfg.StrOpt("novncproxy_base_url", default="",
               help="The URL console answers start with (noVNC's page, through which the "
                    "browser reaches the proxy); empty: http://<novncproxy_host>:"
                    "<novncproxy_port>/vnc_lite.html."),
    cfg.StrOpt("web", default="/usr/share/novnc",
               help="Directory of noVNC's web pages (vnc_lite.html...), which the proxy also "
                    "serves so that a console URL opens in a browser, as Nova's [DEFAULT] "
                    "web; Debian's novnc package installs them here. Where the directory "
                    "does not exist the proxy only answers WebSocket upgrades."),
]


def register_opts(conf):
    conf.register_opts(opts, group=group.name)


def list_opts():
    return [(group.name, opts)]
