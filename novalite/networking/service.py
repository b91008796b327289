"""The network service's domain, as one object the API app holds (Neutron's core plugin):
networks, subnets, ports, security groups, routers and floating IPs over one database."""

from novalite.networking.agents import Agents
from novalite.networking.auto_allocate import AutoAllocatedTopologies
from novalite.networking.dhcp import DhcpPorts
from novalite.networking.floating_ips import FloatingIPs
from novalite.networking.networks import Networks
from novalite.networking.ports import Ports
from novalite.networking.quotas import Quotas
from novalite.networking.routers import Routers
from novalite.networking.security_groups import SecurityGroupRules, SecurityGroups
from novalite.networking.subnets import Subnets
from novalite.networking.tags import Tags


class NetworkService:
    def __init__(self, database, conf=None, agents=None, nova=None):
        """conf: the [network_quotas] defaults (Neutron's, without one); agents: an
        rpc.AgentNotifier for the hosts' agents; nova: a NovaNotifier for port events."""
        self.database = database
        self.quotas = Quotas(database, conf)
        self.agents = Agents(database, conf.network_api.agent_down_time if conf else 75)
        self.networks = Networks(database, self.quotas)
        self.subnets = Subnets(database, self.networks, self.quotas)
        self.security_groups = SecurityGroups(database, self.quotas, agents)
        self.security_group_rules = SecurityGroupRules(self.security_groups)
        self.ports = Ports(database, self.networks, self.security_groups, self.quotas,
                           agents, nova, bindings=self.agents)
        self.dhcp = DhcpPorts(database, self.ports)
        self.routers = Routers(database, self.networks, self.ports, self.quotas)
        self.floating_ips = FloatingIPs(database, self.ports, self.quotas)
        self.networks.before_delete.append(self.floating_ips.on_network_delete)
        self.tags = Tags(database)
        self.auto_allocate = AutoAllocatedTopologies(database, self.networks, self.subnets,
                                                     self.routers, conf)
