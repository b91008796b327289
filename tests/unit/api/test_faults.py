"""The one table from domain exceptions to HTTP status, and Nova's fault body."""

import json

import pytest

from novalite import exception
from novalite.api import faults, microversion


@pytest.mark.parametrize("error, status", [
    (exception.InstanceNotFound(instance_id="x"), 404),
    (exception.FlavorNotFound(flavor_id="x"), 404),
    (exception.MarkerNotFound(marker="m"), 400),
    (exception.InvalidAvailabilityZone(), 400),
    (exception.InstanceInvalidState(action="a", instance_uuid="u", attr="vm_state",
                                    state="s"), 409),
    (exception.FlavorExists(field="name", value="v"), 409),
    (exception.PolicyNotAuthorized(action="a"), 403),
    (exception.TooManyInstances(overs="instances", req="1", used="1", allowed="1"), 403),
    (exception.MetadataLimitExceeded(allowed=1), 403),
    (exception.KeypairLimitExceeded(), 403),
    (exception.KeypairNotFound(name="k", user_id="u"), 404),
    (exception.KeyPairExists(key_name="k"), 409),
    (exception.InvalidKeypair(reason="r"), 400),
    (exception.InvalidQuotaValue(limit=1, resource="cores", minimum=2), 400),
    (exception.NoValidHost(reason="r"), 500),
    (microversion.VersionNotSupported(version="9.9", min="2.1", max="2.2"), 406),
    (microversion.InvalidVersion(version="x"), 400),
    (ValueError("not ours"), None),
])
def test_status_for(error, status):
    assert faults.status_for(error) == status


@pytest.mark.parametrize("status, name", [
    (400, "badRequest"), (401, "unauthorized"), (403, "forbidden"), (404, "itemNotFound"),
    (405, "badMethod"), (409, "conflictingRequest"), (413, "overLimit"),
    (415, "badMediaType"), (429, "overLimit"), (501, "notImplemented"),
    (503, "serviceUnavailable"), (406, "computeFault"), (500, "computeFault"),
])
def test_fault_body_names(status, name):
    assert json.loads(faults.fault_body(status, "why")) == {
        name: {"code": status, "message": "why"}}
