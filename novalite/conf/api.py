from oslo_config import cfg

group = cfg.OptGroup("api", help="The OpenStack Compute API.")

opts = [
    cfg.HostAddressOpt("listen", default="127.0.0.1", help="Address the compute API binds."),
    cfg.PortOpt("port", default=8774, help="Port of the compute API."),
    cfg.StrOpt("public_url", help="Base URL clients use to reach the compute API, "
                                  "e.g. http://controller:8774. Default: from the request."),
    cfg.IntOpt("max_limit", default=1000, min=1,
               help="Largest page a list request returns."),
    cfg.StrOpt("auth_strategy", default="embedded",
               choices=[("embedded", "tokens of novalite's own identity service"),
                        ("keystone", "tokens of an external Keystone, validated by "
                                     "keystonemiddleware ([keystone_authtoken])"),
                        ("noauth2", "X-Auth-Token 'user:project' trusted as given; the "
                                    "user 'admin' is admin. For tests only.")],
               help="How the compute API authenticates requests."),
    cfg.BoolOpt("enable_instance_password", default=True,
                help="Return a generated adminPass when a server is created."),
    cfg.IntOpt("multi_show_max_servers", default=10, min=1,
               help="Most servers one multi-show request may ask for "
                    "(POST /servers/multi_show)."),
    cfg.IntOpt("max_request_threads", default=32, min=1,
               help="Requests handled at once by one API process."),
    cfg.IntOpt("max_request_body_size", default=114688, min=1024,
               help="Largest request body, in bytes, the compute, identity, EC2 and image "
                    "metadata APIs read (image data is streamed and not limited); larger "
                    "ones are refused with 413 (400 in EC2) before they are read whole. "
                    "Nova's [oslo_middleware] default."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
