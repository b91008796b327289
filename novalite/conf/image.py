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
    cfg.IntOpt("stale_upload_timeout", default=300, min=1,
               help="Seconds an upload may receive no data (its API process died, or its "
                    "client stopped sending) before it is abandoned: the image returns to "
                    "queued and its partial data is removed. Uploads prove they are alive "
                    "by touching the image's updated_at every few seconds; each image API "
                    "process looks for abandoned ones at start and every half of this."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
