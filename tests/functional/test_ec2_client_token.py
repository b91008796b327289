"""RunInstances' ClientToken, as EC2: boto3 sends one with every call (the same one in its
own retries), so a repeated request must return the first launch and launch nothing."""

import concurrent.futures
import threading
import uuid

import pytest
from botocore.exceptions import ClientError

from tests.cloud import Client
from tests.functional.conftest import ec2_identity

FAST = {"Delay": 1, "MaxAttempts": 60}


def _error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def _token() -> str:
    return str(uuid.uuid4())


@pytest.fixture(scope="module")
def ec2(ec2_client):
    return ec2_client("tina", "tokens")  # a project of this module's launches only


@pytest.fixture(scope="module")
def nova(cloud):
    """The OpenStack API as the same user and project (noauth2 token by ids)."""
    user_id, project_id, _ = ec2_identity(cloud, "tina", "tokens")
    client = Client(cloud.compute_url, user_id, project_id)
    yield client
    client.http.close()


@pytest.fixture(scope="module")
def ami(ec2):
    [image] = ec2.describe_images(Filters=[{"Name": "name",
                                            "Values": ["cirros-0.6.2-x86_64-disk"]}])["Images"]
    return image["ImageId"]


def _servers(nova, **params) -> list[dict]:
    return nova.get("/servers/detail", params=params).json()["servers"]


def _server_ids(nova) -> set[str]:
    return {s["id"] for s in _servers(nova)}


def _run(ec2, ami, token, count=1, **kwargs):
    return ec2.run_instances(ImageId=ami, MinCount=count, MaxCount=count,
                             InstanceType="m1.tiny", ClientToken=token, **kwargs)


def test_the_same_token_twice_returns_the_first_reservation(ec2, ami, nova):
    token = _token()
    before = _server_ids(nova)
    first = _run(ec2, ami, token, count=2)
    ids = [i["InstanceId"] for i in first["Instances"]]
    assert {i["ClientToken"] for i in first["Instances"]} == {token}
    ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig=FAST)

    again = _run(ec2, ami, token, count=2)
    assert again["ReservationId"] == first["ReservationId"]
    assert [i["InstanceId"] for i in again["Instances"]] == ids
    # as the instances are now, not as they were launched
    assert {i["State"]["Name"] for i in again["Instances"]} == {"running"}
    # nothing more was launched, as the OpenStack API sees it too
    launched = _server_ids(nova) - before
    assert len(launched) == 2
    assert {s["id"] for s in _servers(nova, reservation_id=first["ReservationId"])} == launched
    described = ec2.describe_instances(InstanceIds=ids)["Reservations"]
    assert {i["ClientToken"] for r in described for i in r["Instances"]} == {token}


def test_a_terminated_reservation_is_returned_terminated(ec2, ami, nova):
    token = _token()
    first = _run(ec2, ami, token)
    ids = [first["Instances"][0]["InstanceId"]]
    ec2.terminate_instances(InstanceIds=ids)
    ec2.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig=FAST)
    before = _server_ids(nova)
    again = _run(ec2, ami, token)
    assert again["ReservationId"] == first["ReservationId"]
    assert [(i["InstanceId"], i["State"]["Name"]) for i in again["Instances"]] == [
        (ids[0], "terminated")]
    assert _server_ids(nova) <= before


@pytest.mark.parametrize("changed", [{"MaxCount": 2}, {"InstanceType": "m1.small"},
                                     {"UserData": "echo other"}])
def test_the_same_token_with_other_parameters_is_a_mismatch(ec2, ami, nova, changed):
    token = _token()
    first = _run(ec2, ami, token)
    before = _server_ids(nova)
    kwargs = {"ImageId": ami, "MinCount": 1, "MaxCount": 1, "InstanceType": "m1.tiny",
              **changed}
    with pytest.raises(ClientError) as excinfo:
        ec2.run_instances(ClientToken=token, **kwargs)
    assert _error_code(excinfo) == "IdempotentParameterMismatch"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert _server_ids(nova) <= before
    # the original request still returns the original reservation
    assert _run(ec2, ami, token)["ReservationId"] == first["ReservationId"]
    ec2.terminate_instances(InstanceIds=[first["Instances"][0]["InstanceId"]])


def test_two_projects_may_use_the_same_token(ec2, ec2_client, ami):
    token = _token()
    mine = _run(ec2, ami, token)
    other = ec2_client("otto", "other-tokens")
    theirs = _run(other, ami, token)
    assert theirs["ReservationId"] != mine["ReservationId"]
    assert theirs["OwnerId"] != mine["OwnerId"]
    assert [r["ReservationId"] for r in other.describe_instances()["Reservations"]] == [
        theirs["ReservationId"]]
    other.terminate_instances(InstanceIds=[theirs["Instances"][0]["InstanceId"]])
    ec2.terminate_instances(InstanceIds=[mine["Instances"][0]["InstanceId"]])


def test_concurrent_calls_with_one_token_launch_once(ec2_client, ami, cloud):
    user_id, project_id, _ = ec2_identity(cloud, "cora", "concurrent-tokens")
    client = ec2_client("cora", "concurrent-tokens")  # boto3 clients are thread-safe
    callers = 4
    token, start = _token(), threading.Barrier(callers)

    def run(_):
        start.wait()
        return _run(client, ami, token, count=2)["ReservationId"]

    with concurrent.futures.ThreadPoolExecutor(callers) as pool:
        reservations = list(pool.map(run, range(callers)))
    assert len(set(reservations)) == 1
    nova = Client(cloud.compute_url, user_id, project_id)
    try:
        servers = _server_ids(nova)
        launched = {s["id"] for s in _servers(nova, reservation_id=reservations[0])}
    finally:
        nova.http.close()
    assert len(servers) == 2
    assert launched == servers


def test_a_failed_launch_does_not_use_up_its_token(ec2, ami):
    token = _token()
    with pytest.raises(ClientError) as excinfo:
        ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t2.nano",
                          ClientToken=token)
    assert _error_code(excinfo) == "InvalidParameterValue"
    # not IdempotentParameterMismatch: the failed request launched nothing
    reply = _run(ec2, ami, token)
    assert len(reply["Instances"]) == 1
    ec2.terminate_instances(InstanceIds=[reply["Instances"][0]["InstanceId"]])


def test_tokens_are_case_sensitive(ec2, ami):
    token = "token-" + uuid.uuid4().hex[:8]
    lower = _run(ec2, ami, token)
    upper = _run(ec2, ami, token.upper())
    assert lower["ReservationId"] != upper["ReservationId"]
    ec2.terminate_instances(InstanceIds=[i["InstanceId"] for r in (lower, upper)
                                         for i in r["Instances"]])


def test_a_token_of_64_characters_is_accepted(ec2, ami):
    token = uuid.uuid4().hex * 2
    reply = _run(ec2, ami, token)
    assert reply["Instances"][0]["ClientToken"] == token
    ec2.terminate_instances(InstanceIds=[reply["Instances"][0]["InstanceId"]])


@pytest.mark.parametrize("token", [uuid.uuid4().hex * 2 + "x", "jeton-\u00e9t\u00e9"],
                         ids=["65-characters", "not-ascii"])
def test_other_tokens_are_invalid(ec2, ami, nova, token):
    before = _server_ids(nova)
    with pytest.raises(ClientError) as excinfo:
        _run(ec2, ami, token)
    assert _error_code(excinfo) == "InvalidParameterValue"
    assert _server_ids(nova) <= before
