"""Microversion header parsing and comparisons."""

import pytest
from starlette.datastructures import Headers

from novalite.api import faults, microversion
from novalite.api.microversion import APIVersion

MAX = microversion.fmt(microversion.MAX_VERSION)


def _parse(**headers) -> str:
    return str(microversion.from_headers(Headers(headers={k.replace("_", "-"): v
                                                           for k, v in headers.items()})))


def test_no_header_is_the_minimum():
    assert _parse() == "2.1"


@pytest.mark.parametrize("value, expected", [
    ("compute 2.5", "2.5"),
    ("COMPUTE 2.10", "2.10"),
    ("compute  2.47 ", "2.47"),
    ("compute latest", MAX),
    ("compute LATEST", MAX),
    ("image 2.3, compute 2.60", "2.60"),
    ("compute 2.1", "2.1"),
    ("compute " + MAX, MAX),
])
def test_new_header(value, expected):
    assert _parse(OpenStack_API_Version=value) == expected


def test_legacy_header():
    assert _parse(X_OpenStack_Nova_API_Version="2.33") == "2.33"
    assert _parse(X_OpenStack_Nova_API_Version="latest") == MAX


def test_new_header_wins_over_legacy():
    assert _parse(OpenStack_API_Version="compute 2.40",
                  X_OpenStack_Nova_API_Version="2.3") == "2.40"


def test_new_header_for_another_service_falls_back_to_legacy():
    assert _parse(OpenStack_API_Version="volume 3.50",
                  X_OpenStack_Nova_API_Version="2.12") == "2.12"
    assert _parse(OpenStack_API_Version="volume 3.50") == "2.1"


@pytest.mark.parametrize("value", ["2", "2.", ".5", "2.x", "two.one", "2.05", "02.5",
                                   "2.1.1", "v2.1", "2,1", "-2.1"])
def test_malformed_versions_are_invalid(value):
    with pytest.raises(microversion.InvalidVersion) as err:
        _parse(X_OpenStack_Nova_API_Version=value)
    assert value in err.value.message
    assert faults.status_for(err.value) == 400


@pytest.mark.parametrize("value", ["2.0", "1.1", "3.0", "2.9999"])
def test_versions_out_of_range_are_not_supported(value):
    with pytest.raises(microversion.VersionNotSupported) as err:
        _parse(OpenStack_API_Version="compute " + value)
    assert err.value.message == ("Version %s is not supported by the API. Minimum is 2.1 "
                                 "and maximum is %s." % (value, MAX))
    assert faults.status_for(err.value) == 406


def test_minor_versions_compare_as_numbers():
    v = APIVersion(2, 10)
    assert v.matches(2, 9)
    assert v.matches(2, 10)
    assert not v.matches(2, 11)
    assert v.matches(2, 1, 2, 10)
    assert not v.matches(2, 1, 2, 9)
    assert not APIVersion(2, 9).matches(2, 10)


def test_response_headers_echo_the_version():
    headers = dict(microversion.response_headers(APIVersion(2, 42)))
    assert headers == {"OpenStack-API-Version": "compute 2.42",
                       "X-OpenStack-Nova-API-Version": "2.42",
                       "Vary": "OpenStack-API-Version, X-OpenStack-Nova-API-Version"}


def test_the_maximum_is_at_least_what_clients_need():
    """2.81 for image pre-caching; the clients' own maxima up to 2.96 (CLIENTS.md)."""
    assert microversion.MIN_VERSION == (2, 1)
    assert microversion.MAX_VERSION >= (2, 81)
