"""The EC2 API's instance life cycle, driven by boto3 over HTTP, and its agreement with the
OpenStack API: both are views of the same servers."""

import base64

import pytest
from botocore.exceptions import ClientError, WaiterError

from novalite.context import get_admin_context
from novalite.virt.fake import FAKE_CONSOLE_OUTPUT
from tests.cloud import Client
from tests.functional.conftest import ec2_identity

FAST = {"Delay": 1, "MaxAttempts": 60}


def _error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def _status(excinfo) -> int:
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def _instances(reply) -> list[dict]:
    return [i for r in reply["Reservations"] for i in r["Instances"]]


@pytest.fixture(scope="module")
def ec2(ec2_client):
    return ec2_client("demo", "demo")


@pytest.fixture(scope="module")
def ami(ec2):
    [image] = ec2.describe_images(Filters=[{"Name": "name",
                                            "Values": ["cirros-0.6.2-x86_64-disk"]}])["Images"]
    return image["ImageId"]


@pytest.fixture(scope="module")
def nova(cloud):
    """The OpenStack API as the same demo user and project (noauth2 token by ids)."""
    user_id, project_id, _ = ec2_identity(cloud, "demo", "demo")
    client = Client(cloud.compute_url, user_id, project_id)
    yield client
    client.http.close()


@pytest.fixture(scope="module")
def three(ec2, ami):
    """Three instances from one RunInstances, running."""
    reply = ec2.run_instances(ImageId=ami, MinCount=3, MaxCount=3, InstanceType="m1.tiny",
                              UserData="#!/bin/sh\necho hi\n",
                              TagSpecifications=[{"ResourceType": "instance", "Tags": [
                                  {"Key": "Name", "Value": "web"}]}])
    ids = [i["InstanceId"] for i in reply["Instances"]]
    ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig=FAST)
    return reply


def test_run_instances_makes_one_reservation_of_three(three, ami, cloud):
    instances = three["Instances"]
    assert three["ReservationId"].startswith("r-")
    assert three["OwnerId"] == ec2_identity(cloud, "demo", "demo")[1]
    assert len({i["InstanceId"] for i in instances}) == 3
    assert all(i["InstanceId"].startswith("i-") and len(i["InstanceId"]) == 10
               for i in instances)
    assert [i["AmiLaunchIndex"] for i in instances] == [0, 1, 2]
    assert {i["State"]["Name"] for i in instances} == {"pending"}
    assert {i["State"]["Code"] for i in instances} == {0}
    assert {(i["ImageId"], i["InstanceType"]) for i in instances} == {(ami, "m1.tiny")}


def test_describe_groups_instances_by_reservation(ec2, three):
    ids = [i["InstanceId"] for i in three["Instances"]]
    reply = ec2.describe_instances(InstanceIds=ids)
    [reservation] = reply["Reservations"]
    assert reservation["ReservationId"] == three["ReservationId"]
    assert [i["InstanceId"] for i in reservation["Instances"]] == ids
    assert {i["State"]["Name"] for i in reservation["Instances"]} == {"running"}
    assert {i["State"]["Code"] for i in reservation["Instances"]} == {16}
    first = reservation["Instances"][0]
    assert first["Placement"]["AvailabilityZone"] == "nova"
    assert first["PrivateIpAddress"].startswith("10.")
    assert first["LaunchTime"].tzinfo is not None


def test_ids_are_stable(ec2, three):
    ids = {i["InstanceId"] for i in three["Instances"]}
    for _ in range(2):
        again = {i["InstanceId"] for i in _instances(ec2.describe_instances())}
        assert ids <= again


@pytest.mark.parametrize("name,value", [
    ("instance-state-name", lambda t, ami: "running"),
    ("instance-id", lambda t, ami: t["Instances"][1]["InstanceId"]),
    ("image-id", lambda t, ami: ami),
    ("availability-zone", lambda t, ami: "nova"),
    ("reservation-id", lambda t, ami: t["ReservationId"]),
])
def test_each_filter_finds_the_instances(ec2, three, ami, name, value):
    found = _instances(ec2.describe_instances(
        Filters=[{"Name": name, "Values": [value(three, ami)]}]))
    ids = {i["InstanceId"] for i in found}
    wanted = {i["InstanceId"] for i in three["Instances"]}
    if name == "instance-id":
        assert ids == {three["Instances"][1]["InstanceId"]}
    else:
        assert wanted <= ids
    nothing = _instances(ec2.describe_instances(
        Filters=[{"Name": name, "Values": ["no-such-value"]}]))
    assert nothing == []


def test_state_filter_with_several_values(ec2, three):
    found = _instances(ec2.describe_instances(Filters=[
        {"Name": "instance-state-name", "Values": ["stopped", "running"]}]))
    assert {i["InstanceId"] for i in three["Instances"]} <= {i["InstanceId"] for i in found}


def test_unknown_filter_is_invalid_parameter_value(ec2):
    with pytest.raises(ClientError) as excinfo:
        ec2.describe_instances(Filters=[{"Name": "no-such-filter", "Values": ["x"]}])
    assert _error_code(excinfo) == "InvalidParameterValue"


def test_ec2_instance_is_an_openstack_server(three, nova, cloud):
    ec2_instance = three["Instances"][0]
    servers = nova.get("/servers/detail", params={"reservation_id": three["ReservationId"]}
                       ).json()["servers"]
    assert len(servers) == 3
    assert {s["status"] for s in servers} == {"ACTIVE"}
    assert {s["name"] for s in servers} == {"web-1", "web-2", "web-3"}
    assert {s["flavor"]["original_name"] for s in servers} == {ec2_instance["InstanceType"]}
    # user data reaches the server base64-encoded, as the OpenStack API stores it
    instance = cloud.compute_api.get(get_admin_context(), servers[0]["id"])
    assert base64.b64decode(instance.user_data) == b"#!/bin/sh\necho hi\n"


def test_openstack_server_is_an_ec2_instance(ec2, nova):
    created = nova.boot(name="from-nova")["server"]
    server = nova.wait_for(created["id"], "ACTIVE")
    found = [i for i in _instances(ec2.describe_instances())
             if {"Key": "Name", "Value": "from-nova"} in i.get("Tags", [])]
    assert len(found) == 1
    instance = found[0]
    assert instance["State"]["Name"] == "running"
    assert instance["InstanceType"] == "m1.tiny"
    [[address]] = server["addresses"].values()
    assert instance["PrivateIpAddress"] == address["addr"]
    # stopped through the OpenStack API: stopped for EC2 too
    assert nova.post("/servers/%s/action" % created["id"], json={"os-stop": None}
                     ).status_code == 202
    nova.wait_for(created["id"], "SHUTOFF")
    [again] = _instances(ec2.describe_instances(InstanceIds=[instance["InstanceId"]]))
    assert again["State"] == {"Code": 80, "Name": "stopped"}
    # terminated through EC2: gone from the OpenStack API
    ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[instance["InstanceId"]],
                                               WaiterConfig=FAST)
    nova.wait_gone(created["id"])


def test_stop_start_reboot_terminate_with_waiters(ec2, ami, nova):
    reply = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="m1.tiny")
    [instance_id] = [i["InstanceId"] for i in reply["Instances"]]
    ids = [instance_id]
    ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig=FAST)

    stopping = ec2.stop_instances(InstanceIds=ids)["StoppingInstances"][0]
    assert stopping["InstanceId"] == instance_id
    assert stopping["PreviousState"] == {"Code": 16, "Name": "running"}
    assert stopping["CurrentState"]["Name"] in ("stopping", "stopped")
    ec2.get_waiter("instance_stopped").wait(InstanceIds=ids, WaiterConfig=FAST)
    # stopping a stopped instance changes nothing, as on EC2
    again = ec2.stop_instances(InstanceIds=ids)["StoppingInstances"][0]
    assert again["CurrentState"] == again["PreviousState"] == {"Code": 80, "Name": "stopped"}
    with pytest.raises(ClientError) as excinfo:
        ec2.reboot_instances(InstanceIds=ids)
    assert _error_code(excinfo) == "IncorrectInstanceState"

    starting = ec2.start_instances(InstanceIds=ids)["StartingInstances"][0]
    assert starting["PreviousState"] == {"Code": 80, "Name": "stopped"}
    assert starting["CurrentState"]["Name"] in ("pending", "running")
    ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig=FAST)

    ec2.reboot_instances(InstanceIds=ids)
    ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig=FAST)
    server_id = nova.get("/servers/detail", params={
        "reservation_id": reply["ReservationId"]}).json()["servers"][0]["id"]
    actions = [a["action"] for a in nova.get(
        "/servers/%s/os-instance-actions" % server_id).json()["instanceActions"]]
    assert {"create", "stop", "start", "reboot"} <= set(actions)

    terminating = ec2.terminate_instances(InstanceIds=ids)["TerminatingInstances"][0]
    assert terminating["PreviousState"] == {"Code": 16, "Name": "running"}
    assert terminating["CurrentState"]["Name"] in ("shutting-down", "terminated")
    ec2.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig=FAST)
    # terminated instances stay visible for a while, with their reason
    [gone] = _instances(ec2.describe_instances(InstanceIds=ids))
    assert gone["State"] == {"Code": 48, "Name": "terminated"}
    assert gone["StateReason"]["Code"] == "Client.UserInitiatedShutdown"
    listed = _instances(ec2.describe_instances(
        Filters=[{"Name": "instance-state-name", "Values": ["terminated"]}]))
    assert instance_id in {i["InstanceId"] for i in listed}
    # terminating again is harmless
    twice = ec2.terminate_instances(InstanceIds=ids)["TerminatingInstances"][0]
    assert twice["CurrentState"] == {"Code": 48, "Name": "terminated"}
    nova.wait_gone(server_id)


def test_console_output_is_base64_as_ec2(ec2, three):
    instance_id = three["Instances"][0]["InstanceId"]
    reply = ec2.get_console_output(InstanceId=instance_id)
    assert reply["InstanceId"] == instance_id
    # The wire carries base64 (as EC2); botocore decodes it for the caller.
    assert reply["Output"] == FAKE_CONSOLE_OUTPUT


def test_waiter_fails_when_the_instance_is_terminated(ec2, ami):
    reply = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="m1.tiny")
    ids = [reply["Instances"][0]["InstanceId"]]
    ec2.terminate_instances(InstanceIds=ids)
    with pytest.raises(WaiterError):
        ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig=FAST)


# -- errors ------------------------------------------------------------------------------


def test_another_projects_instance_is_not_found(ec2_client, three):
    other = ec2_client("alice", "other")
    instance_id = three["Instances"][0]["InstanceId"]
    for call in (lambda: other.describe_instances(InstanceIds=[instance_id]),
                 lambda: other.terminate_instances(InstanceIds=[instance_id]),
                 lambda: other.stop_instances(InstanceIds=[instance_id]),
                 lambda: other.reboot_instances(InstanceIds=[instance_id]),
                 lambda: other.get_console_output(InstanceId=instance_id)):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert _error_code(excinfo) == "InvalidInstanceID.NotFound"
        assert _status(excinfo) == 400
    assert instance_id not in {i["InstanceId"] for i in _instances(
        other.describe_instances())}


@pytest.mark.parametrize("instance_id,code", [
    ("i-7fffffff", "InvalidInstanceID.NotFound"),
    ("i-xyz", "InvalidInstanceID.Malformed"),
    ("ami-00000001", "InvalidInstanceID.Malformed"),
])
def test_unknown_instance_ids(ec2, instance_id, code):
    for call in (lambda: ec2.describe_instances(InstanceIds=[instance_id]),
                 lambda: ec2.terminate_instances(InstanceIds=[instance_id])):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert _error_code(excinfo) == code


def test_a_reader_cannot_run_or_terminate(ec2_client, ami, three):
    reader = ec2_client("rita", "demo", role="reader")
    assert {i["InstanceId"] for i in three["Instances"]} <= {
        i["InstanceId"] for i in _instances(reader.describe_instances())}
    with pytest.raises(ClientError) as excinfo:
        reader.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="m1.tiny")
    assert _error_code(excinfo) == "UnauthorizedOperation"
    with pytest.raises(ClientError) as excinfo:
        reader.terminate_instances(InstanceIds=[three["Instances"][0]["InstanceId"]])
    assert _error_code(excinfo) == "UnauthorizedOperation"


def test_max_count_below_min_count(ec2, ami):
    with pytest.raises(ClientError) as excinfo:
        ec2.run_instances(ImageId=ami, MinCount=3, MaxCount=2)
    assert _error_code(excinfo) == "InvalidParameterValue"
    assert "MaxCount" in excinfo.value.response["Error"]["Message"]


def test_unknown_instance_type(ec2, ami):
    with pytest.raises(ClientError) as excinfo:
        ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t2.nano")
    assert _error_code(excinfo) == "InvalidParameterValue"
    assert "t2.nano" in excinfo.value.response["Error"]["Message"]


def test_unknown_ami(ec2):
    for image_id in ("ami-7fffffff", "no-such-image-name"):
        with pytest.raises(ClientError) as excinfo:
            ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)
        assert _error_code(excinfo) == "InvalidAMIID.NotFound"


def test_image_name_is_accepted_as_image_id(ec2, ami):
    reply = ec2.run_instances(ImageId="cirros-0.6.2-x86_64-disk", MinCount=1, MaxCount=1,
                              InstanceType="m1.tiny")
    assert reply["Instances"][0]["ImageId"] == ami
    ec2.terminate_instances(InstanceIds=[reply["Instances"][0]["InstanceId"]])


def test_over_quota_is_instance_limit_exceeded(ec2_client, ami):
    quota = ec2_client("quentin", "small")  # default quota: 10 instances
    with pytest.raises(ClientError) as excinfo:
        quota.run_instances(ImageId=ami, MinCount=11, MaxCount=11, InstanceType="m1.tiny")
    assert _error_code(excinfo) == "InstanceLimitExceeded"
    assert _instances(quota.describe_instances()) == []


def test_unknown_key_pair_and_security_group_and_zone(ec2, ami):
    for kwargs, code in (({"KeyName": "nope"}, "InvalidKeyPair.NotFound"),
                         ({"SecurityGroups": ["web"]}, "InvalidGroup.NotFound"),
                         ({"Placement": {"AvailabilityZone": "mars"}},
                          "InvalidParameterValue")):
        with pytest.raises(ClientError) as excinfo:
            ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="m1.tiny",
                              **kwargs)
        assert _error_code(excinfo) == code


def test_key_name_and_zone_reach_the_server(ec2, ami, nova):
    ec2.import_key_pair(KeyName="boot-key", PublicKeyMaterial=(
        b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsWbW0Y7yrC8Gq7LJHvvgK5WkG7ZBa6pWhEBa9pJfz3 t"))
    reply = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="m1.tiny",
                              KeyName="boot-key", SecurityGroups=["default"],
                              Placement={"AvailabilityZone": "nova"})
    instance = reply["Instances"][0]
    assert instance["KeyName"] == "boot-key"
    server = nova.get("/servers/detail", params={"reservation_id": reply["ReservationId"]}
                      ).json()["servers"][0]
    assert server["key_name"] == "boot-key"
    assert server["OS-EXT-AZ:availability_zone"] == "nova"
    ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])
    ec2.delete_key_pair(KeyName="boot-key")


def test_describe_instances_pages(ec2, three):
    everything = [r["ReservationId"] for r in ec2.describe_instances()["Reservations"]]
    assert len(everything) > 5  # this module's instances
    pages = list(ec2.get_paginator("describe_instances").paginate(
        PaginationConfig={"PageSize": 5}))
    assert len(pages) == (len(everything) + 4) // 5
    assert [r["ReservationId"] for p in pages for r in p["Reservations"]] == everything
