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
