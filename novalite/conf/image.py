from oslo_config import cfg

group = cfg.OptGroup("image", help="The image API (Glance v2 subset).")

opts = [
    cfg.HostAddressOpt("listen", default="127.0.0.1", help="Address the image API binds."),
    cfg.PortOpt("port", default=9292, help="Port of the image API."),
    cfg.StrOpt("public_url", help="Base URL clients use to reach the image API, e.g. "
                                  "http://controller:9292. Default: from the request."),
    cfg.StrOpt("store_path", help="Directory that holds image data; API processes that "
                                  "serve the same images share it. Default: "
                                  "<state_path>/images."),
    cfg.IntOpt("chunk_size", default=1024 * 1024, min=4096,
               help="Bytes read or written at a time when image data streams."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
