"""What the network service's answers mean to Nova, in Nova's words (nova/exception.py);
the API turns them into Nova's status codes through their base classes."""

from novalite import exception


class NetworkNotFound(exception.Invalid):  # 400 on create, as Nova's servers.create
    msg_fmt = "Network %(network_id)s could not be found."


class PortNotFound(exception.Invalid):
    msg_fmt = "Port id %(port_id)s could not be found."


class PortRequiresFixedIP(exception.Invalid):
    msg_fmt = "Port %(port_id)s requires a FixedIP in order to be used."


class FixedIpAlreadyInUse(exception.Invalid):
    msg_fmt = "Fixed IP address %(address)s is already in use on instance %(instance_uuid)s."


class FixedIpNotInNetwork(exception.Invalid):
    msg_fmt = "Fixed IP address %(address)s is not valid on network %(network_id)s."


class InvalidFixedIpAndMaxCountRequest(exception.Invalid):
    msg_fmt = "Failed to launch instances: %(reason)s"


class SecurityGroupNotFoundForProject(exception.Invalid):
    msg_fmt = "Security group %(security_group_id)s not found for project %(project_id)s."


class UnableToAutoAllocateNetwork(exception.Invalid):
    msg_fmt = "Unable to automatically allocate a network for project %(project_id)s"


class PortInUse(exception.Conflict):
    msg_fmt = "Port %(port_id)s is still in use."


class NetworkAmbiguous(exception.Conflict):
    msg_fmt = ("Multiple possible networks found, use a Network ID to be more specific.")


class ExternalNetworkAttachForbidden(exception.Forbidden):
    msg_fmt = "It is not allowed to create an interface on external network %(network_uuid)s"


class NetworkServiceError(exception.NovaliteException):
    """The network service failed or could not be reached (a build fails with it)."""
    msg_fmt = "The network service failed: %(reason)s"


# -- server actions (security groups, floating IPs): Nova's API answers -------------------

class SecurityGroupNotFound(exception.NotFound):  # 404 on the server actions
    msg_fmt = "Security group %(security_group_id)s not found for project %(project_id)s."


class SecurityGroupExistsForInstance(exception.Invalid):
    msg_fmt = ("Security group %(security_group_id)s is already associated with the "
               "instance %(instance_id)s")


class SecurityGroupNotAssociated(exception.NotFound):  # Nova: a SecurityGroupNotFound
    msg_fmt = ("Security group %(security_group_id)s not associated with the instance "
               "%(instance_id)s")


class InstanceHasNoPorts(exception.NotFound):  # Nova: a SecurityGroupNotFound
    msg_fmt = "instance_id %(instance_uuid)s could not be found as device id on any ports"


class SecurityGroupCannotBeApplied(exception.Invalid):
    msg_fmt = ("Network requires port_security_enabled and subnet associated in order to "
               "apply security groups.")


class SecurityGroupConflict(exception.Conflict):  # NoUniqueMatch, a port update's 409
    msg_fmt = "No Unique Match Found."


class FloatingIpNotFoundForAddress(exception.NotFound):
    msg_fmt = "Floating IP not found for address %(address)s."


class FloatingIpMultipleFoundForAddress(exception.Conflict):
    msg_fmt = "Multiple floating IPs are found for address %(address)s."


class FloatingIpAssociateFailed(exception.Invalid):
    msg_fmt = "Floating IP %(address)s association has failed."


class FloatingIpNotAssociated(exception.Conflict):
    msg_fmt = "Floating IP %(address)s is not associated with instance %(instance_id)s."


class NetworkForbidden(exception.Forbidden):
    msg_fmt = "The network service refused: %(reason)s"


class PortBindingFailed(exception.NovaliteException):
    """No live agent on the host took the port: another host may (a reschedule)."""
    msg_fmt = ("Binding failed for port %(port_id)s, please check neutron logs for more "
               "information.")


class NetworkNotFoundForInstance(exception.Invalid):  # Nova's multinic answers 400
    msg_fmt = "Network could not be found for instance %(instance_id)s."


class NoMoreFixedIps(exception.Invalid):
    msg_fmt = "No fixed IP addresses available for network: %(net)s"


class FixedIpNotFoundForInstance(exception.Invalid):
    msg_fmt = "Instance %(instance_uuid)s does not have fixed IP '%(ip)s'."


class Failed(Exception):
    """An answer of the network service other than success (its status, NeutronError type
    and message), which the client turns into one of the errors here."""

    def __init__(self, status: int, kind: str, message: str):
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message
