"""EC2 errors: one class per EC2 error code, with its HTTP status (boto3 treats a 200 with
<Errors> as success, and retries 5xx), and the one table from domain exceptions to them."""

from novalite import exception


class EC2Error(Exception):
    code = "InternalError"
    status = 500
    message = "An internal error has occurred."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message


def _error(code: str, status: int, message: str) -> type[EC2Error]:
    name = code.replace(".", "")
    return type(name, (EC2Error,), {"code": code, "status": status, "message": message})


# Authentication
AuthFailure = _error("AuthFailure", 401,
                     "AWS was not able to validate the provided access credentials.")
SignatureDoesNotMatch = _error(
    "SignatureDoesNotMatch", 403,
    "The request signature we calculated does not match the signature you provided. Check "
    "your AWS Secret Access Key and signing method.")
MissingAuthenticationToken = _error("MissingAuthenticationToken", 401,
                                    "Request is missing Authentication Token.")
IncompleteSignature = _error("IncompleteSignature", 400,
                             "The request signature does not conform to AWS standards.")
UnauthorizedOperation = _error("UnauthorizedOperation", 403,
                               "You are not authorized to perform this operation.")
# Request
InvalidAction = _error("InvalidAction", 400, "The action is not valid for this web service.")
MissingAction = _error("MissingAction", 400, "The request must contain the parameter Action.")
MissingParameter = _error("MissingParameter", 400,
                          "The request must contain a required parameter.")
InvalidParameterValue = _error("InvalidParameterValue", 400,
                               "A value specified in a parameter is not valid.")
InvalidParameterCombination = _error("InvalidParameterCombination", 400,
                                     "Indicates an incorrect combination of parameters.")
InvalidFilter = _error("InvalidFilter", 400, "The specified filter is not valid.")
UnsupportedOperation = _error("UnsupportedOperation", 400,
                              "The specified request includes an unsupported operation.")
IdempotentParameterMismatch = _error(
    "IdempotentParameterMismatch", 400,
    "The client token was already used in a request with different parameters.")
# Resources
InvalidInstanceIDNotFound = _error("InvalidInstanceID.NotFound", 400,
                                   "The instance ID does not exist.")
InvalidInstanceIDMalformed = _error("InvalidInstanceID.Malformed", 400,
                                    "The instance ID is malformed.")
InvalidAMIIDNotFound = _error("InvalidAMIID.NotFound", 400, "The image ID does not exist.")
InvalidAMIIDMalformed = _error("InvalidAMIID.Malformed", 400, "The image ID is malformed.")
InvalidAMIIDUnavailable = _error("InvalidAMIID.Unavailable", 400,
                                 "The image is not available (not active).")
IncorrectInstanceState = _error("IncorrectInstanceState", 400,
                                "The instance is not in a state that allows this operation.")
InvalidKeyPairNotFound = _error("InvalidKeyPair.NotFound", 400,
                                "The key pair does not exist.")
InvalidKeyPairDuplicate = _error("InvalidKeyPair.Duplicate", 400,
                                 "The key pair already exists.")
InvalidKeyFormat = _error("InvalidKey.Format", 400, "The key pair is not in a valid format.")
InvalidGroupNotFound = _error("InvalidGroup.NotFound", 400,
                              "The security group does not exist.")
InvalidZoneNotFound = _error("InvalidZone.NotFound", 400,
                             "The availability zone does not exist.")
# Capacity and limits
InstanceLimitExceeded = _error("InstanceLimitExceeded", 400,
                               "You have reached the limit on the number of instances.")
ResourceLimitExceeded = _error("ResourceLimitExceeded", 400,
                               "You have exceeded a resource limit.")
InsufficientInstanceCapacity = _error("InsufficientInstanceCapacity", 500,
                                      "There is not enough capacity to fulfil the request.")
InternalError = EC2Error


# Most specific first: the first matching class wins. Handlers raise EC2 errors themselves
# where the same domain error means different things (an image that is not found ...).
DOMAIN_ERRORS = [
    (exception.InstanceNotFound, InvalidInstanceIDNotFound),
    (exception.InstancesNotFound, InvalidInstanceIDNotFound),
    (exception.ImageNotFound, InvalidAMIIDNotFound),
    (exception.ImageNotActive, InvalidAMIIDUnavailable),
    (exception.KeypairNotFound, InvalidKeyPairNotFound),
    (exception.KeyPairExists, InvalidKeyPairDuplicate),
    (exception.InvalidKeypair, InvalidKeyFormat),
    (exception.InvalidAvailabilityZone, InvalidZoneNotFound),
    (exception.FlavorNotFound, InvalidParameterValue),
    (exception.InstanceInvalidState, IncorrectInstanceState),
    (exception.KeypairLimitExceeded, ResourceLimitExceeded),
    (exception.QuotaExceeded, InstanceLimitExceeded),
    (exception.PolicyNotAuthorized, UnauthorizedOperation),
    (exception.Forbidden, UnauthorizedOperation),
    (exception.NotAuthenticated, AuthFailure),
    (exception.NoValidHost, InsufficientInstanceCapacity),
    (exception.Invalid, InvalidParameterValue),
    (exception.NotFound, InvalidParameterValue),
    (exception.Conflict, IncorrectInstanceState),
]


def from_domain(error: exception.NovaliteException) -> EC2Error:
    for cls, ec2_cls in DOMAIN_ERRORS:
        if isinstance(error, cls):
            return ec2_cls(error.message)
    return InternalError()
