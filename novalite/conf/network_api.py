from oslo_config import cfg

AUTO_ALLOCATE_PREFIX = "10.128.0.0/9"
AUTO_ALLOCATE_PREFIXLEN = 20

group = cfg.OptGroup("network_api", help="The network API (Neutron v2.0).")

opts = [
    cfg.HostAddressOpt("listen", default="127.0.0.1", help="Address the network API binds."),
    cfg.PortOpt("port", default=9696, help="Port of the network API (Neutron's)."),
    cfg.StrOpt("public_url", help="Base URL clients use to reach the network API, e.g. "
                                  "http://controller:9696. Default: from the request."),
    cfg.BoolOpt("in_catalog", default=True,
                help="Register the network API in the identity catalog (service type "
                     "network). With a network endpoint listed, openstack and Ansible send "
                     "security groups, floating IPs and quotas to it, not to the compute "
                     "API."),
    cfg.BoolOpt("default_topology", default=True,
                help="On first start, make DevStack's networks: `public` (external, the "
                     "admin project's) and, for the demo project, `private` and `router1` "
                     "between them."),
    cfg.StrOpt("public_cidr", default="172.24.4.0/24",
               help="The public network's subnet (floating IPs and router gateways)."),
    cfg.StrOpt("public_gateway", default="172.24.4.1", help="The public subnet's gateway."),
    cfg.StrOpt("private_cidr", default="10.0.0.0/20", help="The demo project's private "
                                                           "subnet."),
    cfg.URIOpt("nova_url", help="The compute API the network service sends port events to "
                                "(os-server-external-events), e.g. "
                                "http://controller:8774/v2.1. Default: this machine's [api] "
                                "listen address and port."),
    cfg.IntOpt("agent_down_time", default=75, min=1,
               help="Seconds after its last report that a host's agent counts as down, as "
                    "Neutron's: a port is then not bound to that host (binding_failed)."),
    cfg.BoolOpt("notify_nova_on_port_status_changes", default=True,
                help="Send network-vif-plugged/-unplugged when a compute port's status "
                     "changes, as Neutron's option of that name (Nova waits for them)."),
    cfg.BoolOpt("notify_nova_on_port_data_changes", default=True,
                help="Send network-changed and network-vif-deleted when a compute port's "
                     "addresses or floating IPs change or it is deleted (Nova refreshes its "
                     "view of the server's addresses)."),
    # Neutron takes an auto-allocated network's subnet from the default subnet pool; there
    # are no subnet pools here, so these two stand in for it.
    cfg.StrOpt("auto_allocate_prefix", default=AUTO_ALLOCATE_PREFIX,
               help="The IPv4 prefix auto-allocated topologies (GET "
                    "/v2.0/auto-allocated-topology/{project_id}, Nova's \"get me a "
                    "network\") take their subnets from, one free /auto_allocate_prefixlen "
                    "each, never overlapping another subnet: it stands in for Neutron's "
                    "default subnet pool."),
    cfg.IntOpt("auto_allocate_prefixlen", default=AUTO_ALLOCATE_PREFIXLEN, min=1, max=30,
               help="The prefix length of an auto-allocated subnet (the default subnet "
                    "pool's default_prefixlen in Neutron); at least auto_allocate_prefix's "
                    "own."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
