"""The network service's errors. Each is answered as Neutron answers it:
{"NeutronError": {"type": <the class name>, "message": ..., "detail": ""}} with its status;
the class names are Neutron's, since clients match on them."""


class NeutronException(Exception):
    status = 500
    msg_fmt = "An unknown exception occurred."

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.message = self.msg_fmt % kwargs
        super().__init__(self.message)

    @property
    def type(self) -> str:
        return type(self).__name__


class BadRequest(NeutronException):
    status = 400
    msg_fmt = "Bad %(resource)s request: %(msg)s."


class InvalidInput(BadRequest):
    msg_fmt = "Invalid input for operation: %(error_message)s."


class HTTPBadRequest(NeutronException):
    """What Neutron's API layer answers for a body or query it cannot take."""
    status = 400
    msg_fmt = "%(message)s"


class NotAuthorized(NeutronException):
    status = 403
    msg_fmt = "Not authorized."


class PolicyNotAuthorized(NotAuthorized):
    msg_fmt = "rule:%(action)s is disallowed by policy"


class NotFound(NeutronException):
    status = 404


class HTTPNotFound(NotFound):
    msg_fmt = "The resource could not be found."


class NetworkNotFound(NotFound):
    msg_fmt = "Network %(net_id)s could not be found."


class SubnetNotFound(NotFound):
    msg_fmt = "Subnet %(subnet_id)s could not be found."


class PortNotFound(NotFound):
    msg_fmt = "Port %(port_id)s could not be found."


class SecurityGroupNotFound(NotFound):
    msg_fmt = "Security group %(id)s does not exist"


class SecurityGroupRuleNotFound(NotFound):
    msg_fmt = "Security group rule %(id)s does not exist"


class Conflict(NeutronException):
    status = 409


class InUse(Conflict):
    msg_fmt = "The resource is in use."


class NetworkInUse(InUse):
    msg_fmt = ("Unable to complete operation on network %(net_id)s. There are one or more "
               "ports still in use on the network.")


class SubnetInUse(InUse):
    msg_fmt = ("Unable to complete operation on subnet %(subnet_id)s: One or more ports "
               "have an IP allocation from this subnet.")


class MacAddressInUse(InUse):
    msg_fmt = ("Unable to complete operation for network %(net_id)s. The mac address "
               "%(mac)s is in use.")


class IpAddressAlreadyAllocated(Conflict):
    msg_fmt = "IP address %(ip)s already allocated in subnet %(subnet_id)s"


class MacAddressGenerationFailure(NeutronException):
    status = 503
    msg_fmt = "Unable to generate unique mac on network %(net_id)s."


class IpAddressGenerationFailure(Conflict):
    msg_fmt = "No more IP addresses available on network %(net_id)s."


class OverlappingAllocationPools(Conflict):
    msg_fmt = ("Found overlapping allocation pools: %(pool_1)s %(pool_2)s for subnet "
               "%(subnet_cidr)s.")


class RevisionNumberConstraintFailed(NeutronException):
    status = 412
    msg_fmt = "Constrained to %(expected)s, but current revision is %(current)s"


class SecurityGroupInUse(InUse):
    msg_fmt = "Security Group %(id)s in use."


class SecurityGroupCannotRemoveDefault(InUse):
    msg_fmt = "Insufficient rights for removing default security group."


class SecurityGroupRuleExists(InUse):
    msg_fmt = "Security group rule already exists. Rule id is %(rule_id)s."


class SecurityGroupRuleInvalidProtocol(InvalidInput):
    msg_fmt = ("Security group rule protocol %(protocol)s not supported. Only protocol values "
               "%(values)s and integer representations [0 to 255] are supported.")


class SecurityGroupInvalidPortRange(InvalidInput):
    msg_fmt = "%(message)s"


class SecurityGroupInvalidPortValue(InvalidInput):
    msg_fmt = "Invalid value for port %(port)s."


class SecurityGroupRemoteGroupAndRemoteIpPrefix(InvalidInput):
    msg_fmt = "Only remote_ip_prefix or remote_group_id may be provided."


class SecurityGroupConflictingEthertype(InvalidInput):
    msg_fmt = ("Conflicting value ethertype %(ethertype)s for CIDR %(cidr)s")


class PortSecurityAndIPRequiredForSecurityGroups(InvalidInput):
    msg_fmt = ("Port security must be enabled and port must have an IP address in order to "
               "use security groups.")


class SecurityGroupDefaultAlreadyExists(InUse):
    msg_fmt = "Default security group already exists."


class SecurityGroupCannotUpdateDefault(InUse):
    msg_fmt = "Updating default security group not allowed."


class PortSecurityPortHasSecurityGroup(InUse):
    msg_fmt = ("Port has security group associated. Cannot disable port security or ip "
               "address until security group is removed")


class AgentNotFound(NotFound):
    msg_fmt = "Agent %(id)s could not be found."


class RouterNotFound(NotFound):
    msg_fmt = "Router %(router_id)s could not be found"


class FloatingIPNotFound(NotFound):
    msg_fmt = "Floating IP %(floatingip_id)s could not be found"


class RouterInUse(InUse):
    msg_fmt = "Router %(router_id)s still has ports"


class RouterInterfaceNotFound(NotFound):
    msg_fmt = "Router %(router_id)s does not have an interface with id %(port_id)s"


class RouterInterfaceNotFoundForSubnet(NotFound):
    msg_fmt = "Router %(router_id)s has no interface on subnet %(subnet_id)s"


class RouterInterfaceInUseByFloatingIP(InUse):
    msg_fmt = ("Router interface for subnet %(subnet_id)s on router %(router_id)s cannot be "
               "deleted, as it is required by one or more floating IPs.")


class ExternalGatewayForFloatingIPNotFound(NotFound):
    msg_fmt = ("External network %(external_network_id)s is not reachable from subnet "
               "%(subnet_id)s.  Therefore, cannot associate Port %(port_id)s with a Floating "
               "IP.")


class FloatingIPPortAlreadyAssociated(InUse):
    msg_fmt = ("Cannot associate floating IP %(floating_ip_address)s (%(fip_id)s) with port "
               "%(port_id)s using fixed IP %(fixed_ip)s, as that fixed IP already has a "
               "floating IP on external network %(net_id)s.")


class RouterExternalGatewayInUseByFloatingIp(InUse):
    msg_fmt = ("Gateway cannot be updated for router %(router_id)s, since a gateway to "
               "external network %(net_id)s is required by one or more floating IPs.")


class ServicePortInUse(InUse):
    msg_fmt = "Port %(port_id)s cannot be deleted directly via the port API: %(reason)s."


class PortInUse(InUse):
    msg_fmt = ("Unable to complete operation on port %(port_id)s for network %(net_id)s. Port "
               "already has an attached device %(device_id)s.")


class OverQuota(Conflict):
    msg_fmt = "Quota exceeded for resources: %(overs)s."


class TagNotFound(NotFound):
    msg_fmt = "Tag %(tag)s could not be found."


class AutoAllocationFailure(Conflict):
    msg_fmt = "Deployment error: %(reason)s."


class DefaultExternalNetworkExists(Conflict):
    msg_fmt = "A default external network already exists: %(net_id)s."
