"""Option groups, one module per group. No global CONF: callers pass a ConfigOpts."""

from oslo_config import cfg

from novalite.conf import (
    api,
    compute,
    conductor,
    consoleauth,
    database,
    default,
    ec2,
    fake,
    identity,
    image,
    image_cache,
    libvirt,
    network,
    network_agent,
    network_api,
    network_quotas,
    quota,
    scheduler,
    serial_console,
    service_user,
    vnc,
)

_MODULES = (default, api, compute, conductor, consoleauth, database, ec2, fake, identity,
            image, image_cache, libvirt, network, network_agent, network_api,
            network_quotas, quota, scheduler, serial_console,
            service_user, vnc)


def register_opts(conf: cfg.ConfigOpts) -> None:
    for module in _MODULES:
        group = getattr(module, "group", None)
        if group is not None:
            # A fresh OptGroup per ConfigOpts: oslo.config keeps a shallow copy of the one it
            # is given, so every conf registered with the module's object would share its
            # option table, and one conf's overrides would show in all the others.
            conf.register_group(cfg.OptGroup(group.name, title=group.title, help=group.help))
        module.register_opts(conf)


def list_opts():
    """For oslo-config-generator and `novalite config sample`."""
    groups = {}
    for module in _MODULES:
        for group, opts in module.list_opts():
            groups.setdefault(group, []).extend(opts)
    return list(groups.items())


def new_conf(args=None, config_files=None) -> cfg.ConfigOpts:
    """A fresh ConfigOpts with every novalite and oslo.messaging option registered."""
    from novalite import rpc

    conf = cfg.ConfigOpts()
    register_opts(conf)
    rpc.register_opts(conf)
    conf(args or [], project="novalite", default_config_files=config_files or [])
    return conf
