"""Domain errors. No HTTP here: api/faults.py maps these to wire errors.

NovaliteException
 +-- NotFound           (InstanceNotFound, FlavorNotFound, ImageNotFound, ...)
 +-- Invalid            (bad input that passed the schema: unknown AZ, bad marker, ...)
 +-- Conflict           (InstanceInvalidState, Duplicate ...)
 +-- Forbidden          (PolicyNotAuthorized, QuotaExceeded)
 +-- NotAuthenticated   (a missing, invalid, expired or revoked token; bad credentials)
 +-- NoValidHost, MaxRetriesExceeded, RescheduledException, ComputeResourcesUnavailable
 +-- InstanceEventTimeout, InstanceEventFailed, VirtualInterfaceCreateException,
     InterfaceAttachFailed (os-interface: Nova's 500)
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


class InstancesNotFound(NotFound):
    msg_fmt = "Instances could not be found: %(instance_ids)s."


class AggregateNotFound(NotFound):
    msg_fmt = "Aggregate %(aggregate_id)s could not be found."


class AggregateHostNotFound(NotFound):
    msg_fmt = "Aggregate %(aggregate_id)s has no host %(host)s."


class PredistributionJobNotFound(NotFound):
    msg_fmt = "Image pre-distribution job %(job_id)s could not be found."


class ComputeHostNotFound(NotFound):
    msg_fmt = "Compute host %(host)s could not be found."


class FlavorNotFound(NotFound):
    msg_fmt = "Flavor %(flavor_id)s could not be found."


class ImageNotFound(NotFound):
    msg_fmt = "Image %(image_id)s could not be found."


class ServiceNotFound(NotFound):
    msg_fmt = "Service %(service_id)s could not be found."


class HostBinaryNotFound(NotFound):
    msg_fmt = "Could not find binary %(binary)s on host %(host)s."


class HypervisorNotFound(NotFound):
    msg_fmt = "Hypervisor %(hypervisor_id)s could not be found."


class InstanceActionNotFound(NotFound):
    msg_fmt = "Action for request_id %(request_id)s on instance %(instance_uuid)s not found"


class KeypairNotFound(NotFound):
    msg_fmt = "Keypair %(name)s not found for user %(user_id)s"


class Invalid(NovaliteException):
    msg_fmt = "Bad input."


class ServiceUpdateNotSupported(Invalid):
    msg_fmt = ("Updating a %(binary)s service is not supported. Only nova-compute services "
               "can be updated.")


class EvacuationsNotCleaned(Invalid):
    msg_fmt = ("Unable to force up host %(host)s as `done` evacuation migration records "
               "remain associated with the host. Ensure the compute service has been "
               "restarted, allowing these records to move to `completed` before retrying "
               "this request.")


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


class InvalidKeypair(Invalid):
    msg_fmt = "Keypair data is invalid: %(reason)s"


class InvalidQuotaValue(Invalid):
    msg_fmt = ("Quota limit %(limit)s for %(resource)s must be greater than or equal to "
               "already used and reserved %(minimum)s.")


class InstanceNotRescuable(Invalid):
    msg_fmt = "Instance %(instance_id)s cannot be rescued: %(reason)s"


class UnsupportedRescueImage(Invalid):
    msg_fmt = "Requested rescue image '%(image)s' is not supported"


class CannotResizeToSameFlavor(Invalid):
    msg_fmt = "When resizing, instances must change flavor!"


class CannotResizeDisk(Invalid):
    msg_fmt = "Server disk was unable to be resized because: %(reason)s"


class ComputeServiceInUse(Invalid):
    msg_fmt = "Compute service of %(host)s is still in use."


class ConsoleTypeUnavailable(Invalid):
    msg_fmt = "Unavailable console type %(console_type)s."


class MigrationNotFound(NotFound):
    msg_fmt = "Migration %(migration_id)s could not be found."


class MigrationNotFoundByStatus(NotFound):
    msg_fmt = "Instance %(instance_id)s has no migration in status %(status)s."


class Conflict(NovaliteException):
    msg_fmt = "Conflict."


class InstanceInvalidState(Conflict):
    msg_fmt = ("Cannot '%(action)s' instance %(instance_uuid)s while it is in "
               "%(attr)s %(state)s")


class UnshelveInstanceInvalidState(InstanceInvalidState):
    msg_fmt = ('Specifying an availability zone or a host when unshelving server '
               '"%(instance_uuid)s" with status "%(state)s" is not supported. The server '
               'status must be SHELVED_OFFLOADED.')


class UnshelveHostNotInAZ(Conflict):
    msg_fmt = 'Host "%(host)s" is not in the availability zone "%(availability_zone)s".'


class InstanceNotReady(Conflict):
    msg_fmt = "Instance %(instance_id)s is not ready"


class InstanceAgentNotEnabled(Conflict):
    msg_fmt = "Guest agent is not enabled for the instance"


class InstancePasswordSetFailed(Conflict):
    msg_fmt = "Failed to set admin password on %(instance)s because %(reason)s"


class NotSupported(NovaliteException):
    """The hypervisor cannot do what was asked (Nova's 501s)."""
    msg_fmt = "Unable to set password on instance"


class InstanceIsLocked(Conflict):
    msg_fmt = "Instance %(instance_uuid)s is locked"


class AggregateNameExists(Conflict):
    msg_fmt = "Aggregate %(aggregate_name)s already exists."


class AggregateHostExists(Conflict):
    msg_fmt = "Aggregate %(aggregate_id)s already has host %(host)s."


class FlavorExists(Conflict):
    msg_fmt = "Flavor with %(field)s %(value)s already exists."


class FlavorAccessExists(Conflict):
    msg_fmt = "Flavor access already exists for flavor %(flavor_id)s and project " \
              "%(project_id)s combination."


class FlavorAccessNotFound(NotFound):
    msg_fmt = "Flavor access not found for %(flavor_id)s / %(project_id)s combination."


class KeyPairExists(Conflict):
    msg_fmt = "Key pair '%(key_name)s' already exists."


class Forbidden(NovaliteException):
    msg_fmt = "Not authorized."


class PolicyNotAuthorized(Forbidden):
    msg_fmt = "Policy doesn't allow %(action)s to be performed."


class QuotaExceeded(Forbidden):
    msg_fmt = "Quota exceeded."


class TooManyInstances(QuotaExceeded):
    msg_fmt = ("Quota exceeded for %(overs)s: Requested %(req)s, but already used %(used)s "
               "of %(allowed)s %(overs)s")


class MetadataLimitExceeded(QuotaExceeded):
    msg_fmt = "Maximum number of metadata items exceeds %(allowed)d"


class KeypairLimitExceeded(QuotaExceeded):
    msg_fmt = "Quota exceeded, too many key pairs."


class NotAuthenticated(NovaliteException):
    # One message for every cause (unknown user, wrong password, revoked token ...), as
    # Keystone: the caller learns nothing about which part was wrong.
    msg_fmt = "The request you have made requires authentication."


class ProjectNotFound(NotFound):
    msg_fmt = "Could not find project: %(project_id)s."


class UserNotFound(NotFound):
    msg_fmt = "Could not find user: %(user_id)s."


class RoleNotFound(NotFound):
    msg_fmt = "Could not find role: %(role_id)s."


class DomainNotFound(NotFound):
    msg_fmt = "Could not find domain: %(domain_id)s."


class TokenNotFound(NotFound):
    msg_fmt = "Could not find token."


class RoleAssignmentNotFound(NotFound):
    msg_fmt = "Could not find role assignment with role: %(role_id)s, user: %(user_id)s, "\
              "project: %(project_id)s."


class IdentityConflict(Conflict):
    msg_fmt = "Conflict occurred attempting to store %(type)s - Duplicate entry found " \
              "with name %(name)s."


class NoValidHost(NovaliteException):
    msg_fmt = "No valid host was found. %(reason)s"


class MigrationPreCheckError(Invalid):
    msg_fmt = "Migration pre-check error: %(reason)s"


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


class InstanceEventTimeout(NovaliteException):
    """An awaited external event did not arrive in time (compute/manager/events.py)."""
    msg_fmt = "Timeout waiting for event %(event)s of instance %(instance_uuid)s"


class InstanceEventFailed(NovaliteException):
    """An awaited external event arrived with a status other than 'completed'."""
    msg_fmt = "Event %(event)s of instance %(instance_uuid)s arrived %(status)s"


class VirtualInterfaceCreateException(NovaliteException):
    msg_fmt = "Virtual Interface creation failed"


class InterfaceAttachFailed(NovaliteException):  # Nova's 500
    msg_fmt = "Failed to attach network adapter device to %(instance_uuid)s"


class AttachInterfaceNotSupported(Invalid):
    msg_fmt = "Attaching interfaces is not supported for instance %(instance_uuid)s."
