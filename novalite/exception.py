"""Domain errors. No HTTP here: api/faults.py maps these to wire errors.

NovaliteException
 +-- NotFound           (InstanceNotFound, FlavorNotFound, ImageNotFound, ...)
 +-- Invalid            (bad input that passed the schema: unknown AZ, bad marker, ...)
 +-- Conflict           (InstanceInvalidState, Duplicate ...)
 +-- Forbidden          (PolicyNotAuthorized, QuotaExceeded)
 +-- NoValidHost, MaxRetriesExceeded, RescheduledException, ComputeResourcesUnavailable
"""


class NovaliteException(Exception):
    msg_fmt = "An unknown exception occurred."

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if message is None:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError):
                message = self.msg_fmt
        self.message = str(message)
        super().__init__(self.message)

    def __str__(self):
        return self.message


class NotFound(NovaliteException):
    msg_fmt = "Resource could not be found."


class InstanceNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s could not be found."


class FlavorNotFound(NotFound):
    msg_fmt = "Flavor %(flavor_id)s could not be found."


class ImageNotFound(NotFound):
    msg_fmt = "Image %(image_id)s could not be found."


class ServiceNotFound(NotFound):
    msg_fmt = "Service %(service_id)s could not be found."


class HypervisorNotFound(NotFound):
    msg_fmt = "Hypervisor %(hypervisor_id)s could not be found."


class InstanceActionNotFound(NotFound):
    msg_fmt = "Action for request_id %(request_id)s on instance %(instance_uuid)s not found"


class Invalid(NovaliteException):
    msg_fmt = "Bad input."


class MarkerNotFound(Invalid):
    msg_fmt = "marker [%(marker)s] not found"


class InvalidAvailabilityZone(Invalid):
    msg_fmt = "The requested availability zone is not available"


class ImageNotActive(Invalid):
    msg_fmt = "Image %(image_id)s is not active."


class FlavorDiskTooSmall(Invalid):
    msg_fmt = "Flavor's disk is too small for requested image."


class FlavorMemoryTooSmall(Invalid):
    msg_fmt = "Flavor's memory is too small for requested image."


class Conflict(NovaliteException):
    msg_fmt = "Conflict."


class InstanceInvalidState(Conflict):
    msg_fmt = ("Cannot '%(action)s' instance %(instance_uuid)s while it is in "
               "%(attr)s %(state)s")


class FlavorExists(Conflict):
    msg_fmt = "Flavor with %(field)s %(value)s already exists."


class Forbidden(NovaliteException):
    msg_fmt = "Not authorized."


class PolicyNotAuthorized(Forbidden):
    msg_fmt = "Policy doesn't allow %(action)s to be performed."


class NoValidHost(NovaliteException):
    msg_fmt = "No valid host was found. %(reason)s"


class MaxRetriesExceeded(NoValidHost):
    msg_fmt = "Exceeded maximum number of retries. %(reason)s"


class ComputeResourcesUnavailable(NovaliteException):
    msg_fmt = "Insufficient compute resources: %(reason)s."


class RescheduledException(NovaliteException):
    msg_fmt = "Build of instance %(instance_uuid)s was re-scheduled: %(reason)s"


class BuildAbortException(NovaliteException):
    msg_fmt = "Build of instance %(instance_uuid)s aborted: %(reason)s"


class FixedIpsExhausted(NovaliteException):
    msg_fmt = "No fixed IP addresses available for network: %(network)s"


class InstanceDeleted(NovaliteException):
    msg_fmt = "Instance %(instance_uuid)s was deleted while it was being built."
