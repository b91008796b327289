"""boto3 and the aws CLI against a running `novalite serve`, with the EC2 credentials its
bootstrap wrote to <state-dir>/ec2rc — what a new user does."""

import os
import subprocess
import sys

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

FAST = {"Delay": 1, "MaxAttempts": 60}


def _ec2rc(cloud) -> dict:
    with open(os.path.join(cloud.state_dir, "ec2rc")) as f:
        return dict(line[len("export "):].split("=", 1) for line in f.read().splitlines()
                    if line.startswith("export "))


@pytest.fixture(scope="module")
def rc(cloud):
    return _ec2rc(cloud)


@pytest.fixture(scope="module")
def session(rc):
    return boto3.session.Session(aws_access_key_id=rc["AWS_ACCESS_KEY_ID"],
                                 aws_secret_access_key=rc["AWS_SECRET_ACCESS_KEY"],
                                 region_name=rc["AWS_DEFAULT_REGION"])


@pytest.fixture(scope="module")
def ec2(session, rc):
    client = session.client("ec2", endpoint_url=rc["AWS_ENDPOINT_URL_EC2"],
                            config=Config(retries={"total_max_attempts": 1}))
    yield client
    client.close()


@pytest.fixture(scope="module")
def ami(ec2):
    [image] = ec2.describe_images(Filters=[{"Name": "name", "Values": [
        "cirros-0.6.2-x86_64-disk"]}])["Images"]
    assert image["State"] == "available" and image["ImageType"] == "machine"
    return image["ImageId"]


def _instances(reply):
    return [i for r in reply["Reservations"] for i in r["Instances"]]


def test_the_banner_names_the_ec2_endpoint_and_credentials(cloud, rc):
    with open(os.path.join(cloud.state_dir, "serve.out")) as f:
        banner = f.read()
    assert rc["AWS_ENDPOINT_URL_EC2"] in banner
    assert os.path.join(cloud.state_dir, "ec2rc") in banner
    assert oct(os.stat(os.path.join(cloud.state_dir, "ec2rc")).st_mode & 0o777) == "0o600"
    with open(cloud.log_path) as f:
        assert rc["AWS_SECRET_ACCESS_KEY"] not in f.read() + banner


def test_instance_life_cycle(ec2, ami, cloud):
    reply = ec2.run_instances(ImageId=ami, MinCount=3, MaxCount=3, InstanceType="m1.tiny")
    ids = [i["InstanceId"] for i in reply["Instances"]]
    assert len(set(ids)) == 3
    ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig=FAST)
    [reservation] = ec2.describe_instances(InstanceIds=ids)["Reservations"]
    assert reservation["ReservationId"] == reply["ReservationId"]
    for name, value in (("reservation-id", reply["ReservationId"]),
                        ("instance-state-name", "running"), ("image-id", ami),
                        ("availability-zone", "nova"), ("instance-id", ids[0])):
        found = {i["InstanceId"] for i in _instances(ec2.describe_instances(
            Filters=[{"Name": name, "Values": [value]}]))}
        assert (ids[:1] if name == "instance-id" else ids) == sorted(found & set(ids)), name
    # the OpenStack CLI sees the same servers, in the same state
    servers = cloud.openstack("server", "list", "-f", "json")
    mine = [s for s in servers if s["Name"].startswith("ec2-instance-")]
    assert len(mine) >= 3 and {s["Status"] for s in mine} == {"ACTIVE"}

    ec2.stop_instances(InstanceIds=ids[:1])
    ec2.get_waiter("instance_stopped").wait(InstanceIds=ids[:1], WaiterConfig=FAST)
    ec2.start_instances(InstanceIds=ids[:1])
    ec2.get_waiter("instance_running").wait(InstanceIds=ids[:1], WaiterConfig=FAST)
    ec2.reboot_instances(InstanceIds=ids[:1])
    ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig=FAST)
    ec2.terminate_instances(InstanceIds=ids)
    ec2.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig=FAST)
    states = {i["State"]["Name"] for i in _instances(ec2.describe_instances(InstanceIds=ids))}
    assert states == {"terminated"}


def test_resource_api_create_and_wait(session, rc, ami):
    resource = session.resource("ec2", endpoint_url=rc["AWS_ENDPOINT_URL_EC2"])
    [instance] = resource.create_instances(ImageId=ami, MinCount=1, MaxCount=1,
                                           InstanceType="m1.tiny")
    instance.wait_until_running(WaiterConfig=FAST)
    instance.reload()
    assert instance.state["Name"] == "running"
    assert instance.private_ip_address
    instance.terminate()
    instance.wait_until_terminated(WaiterConfig=FAST)


def test_server_from_the_openstack_cli_is_an_ec2_instance(ec2, cloud):
    cloud.openstack("server", "create", "--flavor", "m1.tiny", "--image",
                    "cirros-0.6.2-x86_64-disk", "--wait", "osc-made", "-f", "json")
    [found] = [i for i in _instances(ec2.describe_instances(Filters=[
        {"Name": "instance-state-name", "Values": ["running"]}]))
        if {"Key": "Name", "Value": "osc-made"} in i.get("Tags", [])]
    ec2.terminate_instances(InstanceIds=[found["InstanceId"]])
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[found["InstanceId"]],
                                               WaiterConfig=FAST)
    names = [s["Name"] for s in cloud.openstack("server", "list", "-f", "json")]
    assert "osc-made" not in names


def test_errors_as_boto3_raises_them(ec2, ami, rc):
    cases = [
        (lambda: ec2.run_instances(ImageId="ami-7fffffff", MinCount=1, MaxCount=1),
         "InvalidAMIID.NotFound"),
        (lambda: ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1,
                                   InstanceType="c5.large"), "InvalidParameterValue"),
        (lambda: ec2.run_instances(ImageId=ami, MinCount=2, MaxCount=1),
         "InvalidParameterValue"),
        (lambda: ec2.terminate_instances(InstanceIds=["i-7fffffff"]),
         "InvalidInstanceID.NotFound"),
    ]
    for call, code in cases:
        with pytest.raises(ClientError) as excinfo:
            call()
        assert excinfo.value.response["Error"]["Code"] == code
    bad = boto3.client("ec2", endpoint_url=rc["AWS_ENDPOINT_URL_EC2"], region_name="x",
                       aws_access_key_id=rc["AWS_ACCESS_KEY_ID"],
                       aws_secret_access_key="wrong")
    with pytest.raises(ClientError) as excinfo:
        bad.describe_instances()
    assert excinfo.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_key_pairs_and_zones(ec2, cloud):
    created = ec2.create_key_pair(KeyName="boto-key")
    assert "PRIVATE KEY" in created["KeyMaterial"]
    names = [k["Name"] for k in cloud.openstack("keypair", "list", "-f", "json")]
    assert "boto-key" in names
    ec2.delete_key_pair(KeyName="boto-key")
    assert "boto-key" not in [k["KeyName"] for k in ec2.describe_key_pairs()["KeyPairs"]]
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    assert [z["ZoneName"] for z in zones] == ["nova"]


def _aws(rc, *args):
    aws = os.path.join(os.path.dirname(sys.executable), "aws")
    # awscli is a test dependency (pyproject.toml): missing, it is a failure, not a skip.
    assert os.path.exists(aws), "the aws CLI is not installed: pip install -e '.[test]'"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(rc, AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    done = subprocess.run([aws, *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_aws_cli_with_the_ec2rc_environment(rc, ami):
    import json

    zones = json.loads(_aws(rc, "ec2", "describe-availability-zones"))
    assert zones["AvailabilityZones"][0]["ZoneName"] == "nova"
    images = json.loads(_aws(rc, "ec2", "describe-images", "--image-ids", ami))
    assert images["Images"][0]["ImageId"] == ami
    json.loads(_aws(rc, "ec2", "describe-instances"))
