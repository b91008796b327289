"""The network service's domain, as one object the API app holds (Neutron's core plugin):
networks, subnets and ports over one database."""

from novalite.networking.networks import Networks
from novalite.networking.ports import Ports
from novalite.networking.subnets import Subnets


class NetworkService:
    def __init__(self, database):
        self.database = database
        self.networks = Networks(database)
        self.subnets = Subnets(database, self.networks)
        self.ports = Ports(database, self.networks)
