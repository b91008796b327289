from oslo_config import cfg

group = cfg.OptGroup("service_user", help="The identity compute services use to call other "
                                          "services (the image API), as Nova's "
                                          "[service_user]. Unused with [api] auth_strategy "
                                          "= noauth2; the all-in-one passes its own.")

opts = [
    cfg.URIOpt("auth_url", help="Identity API, e.g. http://controller:5000/v3."),
    cfg.StrOpt("username", default="novalite", help="The service user."),
    cfg.StrOpt("password", secret=True, help="The service user's password."),
    cfg.StrOpt("project_name", default="service", help="The service project."),
    cfg.StrOpt("user_domain_name", default="Default", help="The user's domain."),
    cfg.StrOpt("project_domain_name", default="Default", help="The project's domain."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
