"""[network_agent]: how a compute host's network agent wires the ports bound to it."""

from oslo_config import cfg

group = cfg.OptGroup("network_agent", help="A compute host's network agent (Neutron's L2 "
                                           "agent).")

opts = [
    cfg.StrOpt("driver", choices=["noop", "linuxbridge"],
               help="What the agent wires ports with: noop (nothing to wire: a port is up "
                    "once bound, for fake hosts) or linuxbridge (a Linux bridge per "
                    "network, the guests' tap devices on it, security groups in "
                    "nftables, DHCP from a dnsmasq per network in a namespace; needs "
                    "root, iproute2, nftables and dnsmasq). Default: linuxbridge when "
                    "[DEFAULT] compute_driver is libvirt (on a real hypervisor, not "
                    "libvirt's test:/// one), else noop."),
    cfg.FloatOpt("plug_retry_interval", default=0.5, min=0.05,
                 help="Seconds between the agent's looks for a port's tap device that is "
                      "not there yet (libvirt makes it when the guest starts), as "
                      "Neutron's Linux bridge agent polls its devices."),
]


def driver_of(conf) -> str:
    """The driver the agent uses: the configured one, else the compute driver's kind
    (libvirt's built-in test hypervisor, test:///..., has no guests to wire: noop)."""
    if conf.network_agent.driver:
        return conf.network_agent.driver
    real_libvirt = conf.compute_driver == "libvirt" and \
        not (conf.libvirt.connection_uri or "").startswith("test:")
    return "linuxbridge" if real_libvirt else "noop"


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
