"""The network service's domain, as one object the API app holds (Neutron's core plugin):
networks, subnets, ports, security groups, routers and floating IPs over one database."""

from novalite.networking.floating_ips import FloatingIPs
from novalite.networking.networks import Networks
from novalite.networking.ports import Ports
from novalite.networking.routers import Routers
from novalite.networking.security_groups import SecurityGroupRules, SecurityGroups
from novalite.networking.subnets import Subnets


class NetworkService:
    def __init__(self, database):
        self.database = database
        self.networks = Networks(database)
        self.subnets = Subnets(database, self.networks)
        self.security_groups = SecurityGroups(database)
        self.security_group_rules = SecurityGroupRules(self.security_groups)
        self.ports = Ports(database, self.networks, self.security_groups)
        self.routers = Routers(database, self.networks, self.ports)
        self.floating_ips = FloatingIPs(database, self.ports)
