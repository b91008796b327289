"""The one table from domain exceptions to Nova's wire errors, and the fault body."""

import json

from novalite import exception
from novalite.api import microversion

# Most specific first: the first matching class wins.
EXCEPTION_TO_STATUS = [
    (microversion.VersionNotSupported, 406),
    (exception.NotFound, 404),
    (exception.Invalid, 400),
    (exception.Conflict, 409),
    (exception.QuotaExceeded, 403),  # today's Nova: over quota is forbidden, not 413
    (exception.Forbidden, 403),
    (exception.NotAuthenticated, 401),
    (exception.NoValidHost, 500),
    (exception.NotSupported, 501),
]

FAULT_NAMES = {400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "itemNotFound",
               405: "badMethod", 409: "conflictingRequest", 413: "overLimit",
               415: "badMediaType", 429: "overLimit", 501: "notImplemented",
               503: "serviceUnavailable"}


class HTTPError(Exception):
    """Raised by handlers for errors that are about the request itself."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def status_for(error: Exception) -> int | None:
    for cls, status in EXCEPTION_TO_STATUS:
        if isinstance(error, cls):
            return status
    return None


def fault_body(status: int, message: str) -> bytes:
    name = FAULT_NAMES.get(status, "computeFault")
    return json.dumps({name: {"code": status, "message": message}}).encode()
