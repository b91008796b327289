"""Compute API microversions: the supported range, header parsing, and version checks.

What each version adds is in API_HISTORY.md; the view and schema code asks
`req.version.matches(2, 47)` where a change applies.
"""

import re

from novalite import exception

MIN_VERSION = (2, 1)
MAX_VERSION = (2, 96)

HEADER = "OpenStack-API-Version"
LEGACY_HEADER = "X-OpenStack-Nova-API-Version"
SERVICE = "compute"

_VERSION_RE = re.compile(r"^([1-9]\d*)\.([1-9]\d*|0)$")


class VersionNotSupported(exception.NovaliteException):
    msg_fmt = ("Version %(version)s is not supported by the API. Minimum is %(min)s and "
               "maximum is %(max)s.")


class InvalidVersion(exception.Invalid):
    msg_fmt = ("API Version String %(version)s is of invalid format. Must be of format "
               "MajorNum.MinorNum.")


class APIVersion:
    __slots__ = ("major", "minor")

    def __init__(self, major: int, minor: int):
        self.major, self.minor = major, minor

    def as_tuple(self):
        return (self.major, self.minor)

    def matches(self, major: int, minor: int, max_major: int | None = None,
                max_minor: int | None = None) -> bool:
        """True if this version is >= major.minor (and <= max when given)."""
        if (self.major, self.minor) < (major, minor):
            return False
        if max_major is not None and (self.major, self.minor) > (max_major, max_minor):
            return False
        return True

    def __str__(self):
        return "%d.%d" % (self.major, self.minor)


def fmt(version: tuple) -> str:
    return "%d.%d" % version


def _parse_value(value: str) -> APIVersion:
    value = value.strip()
    if value.lower() == "latest":
        return APIVersion(*MAX_VERSION)
    match = _VERSION_RE.match(value)
    if not match:
        raise InvalidVersion(version=value)
    version = APIVersion(int(match.group(1)), int(match.group(2)))
    if not (MIN_VERSION <= version.as_tuple() <= MAX_VERSION):
        raise VersionNotSupported(version=value, min=fmt(MIN_VERSION), max=fmt(MAX_VERSION))
    return version


def from_headers(headers) -> APIVersion:
    """The requested version: the new header wins over the legacy one; none means 2.1."""
    new = headers.get(HEADER)
    if new:
        for item in new.split(","):
            parts = item.strip().split(None, 1)
            if len(parts) == 2 and parts[0].lower() == SERVICE:
                return _parse_value(parts[1])
    legacy = headers.get(LEGACY_HEADER)
    if legacy:
        return _parse_value(legacy)
    return APIVersion(*MIN_VERSION)


def vary_header() -> list[tuple[str, str]]:
    return [("Vary", "%s, %s" % (HEADER, LEGACY_HEADER))]


def response_headers(version: APIVersion) -> list[tuple[str, str]]:
    return [(HEADER, "%s %s" % (SERVICE, version)), (LEGACY_HEADER, str(version)),
            *vary_header()]
