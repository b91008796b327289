"""Query-string helpers: strict booleans and ISO 8601 times."""

import datetime

import pytest

from novalite.api.compute import params
from novalite.api.faults import HTTPError


@pytest.mark.parametrize("value, expected", [
    ("True", True), ("true", True), ("1", True), ("yes", True), ("on", True), (" t ", True),
    ("False", False), ("0", False), ("no", False), ("off", False), ("F", False),
    ("", True),
])
def test_strict_bool(value, expected):
    assert params.strict_bool("all_tenants", value) is expected


def test_strict_bool_refuses_others_naming_the_parameter():
    with pytest.raises(HTTPError) as err:
        params.strict_bool("all_tenants", "perhaps")
    assert err.value.status == 400
    assert "all_tenants" in err.value.message and "perhaps" in err.value.message


@pytest.mark.parametrize("value, expected", [
    ("2026-01-02T03:04:05Z", datetime.datetime(2026, 1, 2, 3, 4, 5)),
    ("2026-01-02T03:04:05", datetime.datetime(2026, 1, 2, 3, 4, 5)),
    ("2026-01-02T03:04:05.123456Z", datetime.datetime(2026, 1, 2, 3, 4, 5, 123456)),
    ("2026-01-02T05:04:05+02:00", datetime.datetime(2026, 1, 2, 3, 4, 5)),
    ("2026-01-02", datetime.datetime(2026, 1, 2)),
])
def test_iso_datetime_is_naive_utc(value, expected):
    assert params.iso_datetime("changes-since", value) == expected


@pytest.mark.parametrize("value", ["garbage", "2026-13-01", "yesterday", ""])
def test_iso_datetime_refuses_garbage(value):
    with pytest.raises(HTTPError) as err:
        params.iso_datetime("changes-since", value)
    assert err.value.status == 400 and "changes-since" in err.value.message
