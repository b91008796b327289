from oslo_config import cfg

group = cfg.OptGroup("image", help="The image API (Glance v2 subset).")

opts = [
    cfg.HostAddressOpt("listen", default="127.0.0.1", help="Address the image API binds."),
    cfg.PortOpt("port", default=9292, help="Port of the image API."),
    cfg.StrOpt("public_url", help="Base URL clients use to reach the image API, e.g. "
                                  "http://controller:9292. Default: from the request."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
