"""DescribeImages and RunInstances' image rules: ami-/aki-/ari- ids by container format,
the type check, the active check, kernels and ramdisks; ids that survive a restart."""

import httpx
import pytest
from botocore.exceptions import ClientError

from novalite.context import get_admin_context
from tests.functional.conftest import client_for
from tests.functional.helpers import running_cloud

ADMIN = {"X-Auth-Token": "admin:admin"}


def _image(glance, name, container, disk, data=b"\0" * 512, **props):
    resp = glance.post("/v2/images", headers=ADMIN, json={
        "name": name, "container_format": container, "disk_format": disk,
        "visibility": "public", **props})
    assert resp.status_code == 201, resp.text
    image = resp.json()
    if data is not None:
        resp = glance.put("/v2/images/%s/file" % image["id"], content=data,
                          headers={**ADMIN, "Content-Type": "application/octet-stream"})
        assert resp.status_code == 204, resp.text
    return image


@pytest.fixture(scope="module")
def images(cloud):
    with httpx.Client(base_url=cloud.image_url, timeout=30) as glance:
        kernel = _image(glance, "vmlinuz", "aki", "aki")
        ramdisk = _image(glance, "initrd", "ari", "ari")
        machine = _image(glance, "machine", "ami", "ami", kernel_id=kernel["id"],
                         ramdisk_id=ramdisk["id"])
        queued = _image(glance, "queued", "bare", "raw", data=None)
    return {"kernel": kernel, "ramdisk": ramdisk, "machine": machine, "queued": queued}


@pytest.fixture(scope="module")
def ec2(ec2_client):
    return ec2_client("demo", "demo")


@pytest.fixture(scope="module")
def described(ec2, images):
    by_name = {i["Name"]: i for i in ec2.describe_images()["Images"]}
    return {key: by_name[image["name"]] for key, image in images.items()}


def _code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def test_image_ids_and_types_follow_the_container_format(described):
    assert described["kernel"]["ImageId"].startswith("aki-")
    assert described["kernel"]["ImageType"] == "kernel"
    assert described["ramdisk"]["ImageId"].startswith("ari-")
    assert described["ramdisk"]["ImageType"] == "ramdisk"
    assert described["machine"]["ImageId"].startswith("ami-")
    assert described["machine"]["ImageType"] == "machine"
    assert described["machine"]["KernelId"] == described["kernel"]["ImageId"]
    assert described["machine"]["RamdiskId"] == described["ramdisk"]["ImageId"]
    assert described["machine"]["State"] == "available"
    assert described["machine"]["Public"] is True
    assert described["queued"]["State"] == "pending"
    numbers = {d["ImageId"].split("-")[1] for d in described.values()}
    assert len(numbers) == len(described)


def test_describe_by_id_type_and_state(ec2, described):
    for image in described.values():
        [found] = ec2.describe_images(ImageIds=[image["ImageId"]])["Images"]
        assert found["Name"] == image["Name"]
    kernels = ec2.describe_images(Filters=[{"Name": "image-type", "Values": ["kernel"]}])
    assert [i["ImageId"] for i in kernels["Images"]] == [described["kernel"]["ImageId"]]
    pending = ec2.describe_images(Filters=[{"Name": "state", "Values": ["pending"]}])
    assert [i["Name"] for i in pending["Images"]] == ["queued"]
    mine = ec2.describe_images(Owners=["self"])["Images"]
    assert mine == []  # all of these belong to the admin project


def test_describe_with_a_wrong_prefix_is_not_found(ec2, described):
    number = described["kernel"]["ImageId"].split("-")[1]
    with pytest.raises(ClientError) as excinfo:
        ec2.describe_images(ImageIds=["ami-" + number])
    assert _code(excinfo) == "InvalidAMIID.NotFound"
    with pytest.raises(ClientError) as excinfo:
        ec2.describe_images(ImageIds=["i-" + number])
    assert _code(excinfo) == "InvalidAMIID.Malformed"


def test_wrong_image_type_is_not_found(ec2, described):
    number = described["kernel"]["ImageId"].split("-")[1]
    for image_id in (described["kernel"]["ImageId"], "ami-" + number):
        with pytest.raises(ClientError) as excinfo:
            ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)
        assert _code(excinfo) == "InvalidAMIID.NotFound"
    with pytest.raises(ClientError) as excinfo:  # a ramdisk as the kernel
        ec2.run_instances(ImageId=described["machine"]["ImageId"], MinCount=1, MaxCount=1,
                          KernelId=described["ramdisk"]["ImageId"])
    assert _code(excinfo) == "InvalidAMIID.NotFound"


def test_image_that_is_not_active_is_refused(ec2, described):
    with pytest.raises(ClientError) as excinfo:
        ec2.run_instances(ImageId=described["queued"]["ImageId"], MinCount=1, MaxCount=1)
    assert _code(excinfo) == "InvalidAMIID.Unavailable"


def test_kernel_and_ramdisk_are_recorded_on_the_instance(ec2, described, images, cloud):
    reply = ec2.run_instances(ImageId=described["machine"]["ImageId"], MinCount=1,
                              MaxCount=1, InstanceType="m1.tiny",
                              KernelId=described["kernel"]["ImageId"],
                              RamdiskId=described["ramdisk"]["ImageId"])
    instance = reply["Instances"][0]
    assert instance["KernelId"] == described["kernel"]["ImageId"]
    assert instance["RamdiskId"] == described["ramdisk"]["ImageId"]
    servers = cloud.compute_api.list(get_admin_context(), {
        "reservation_id": reply["ReservationId"], "all_tenants": True})
    assert servers[0].kernel_id == images["kernel"]["id"]
    assert servers[0].ramdisk_id == images["ramdisk"]["id"]
    ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])


def test_ids_survive_a_restart(tmp_path):
    state = tmp_path / "state"
    with running_cloud(state, computes=1) as cloud:
        ec2 = client_for(cloud, "demo", "demo")
        [image] = ec2.describe_images()["Images"]
        reply = ec2.run_instances(ImageId=image["ImageId"], MinCount=1, MaxCount=1,
                                  InstanceType="m1.tiny")
        before = reply["Instances"][0]["InstanceId"]
        ec2.close()
    with running_cloud(state, computes=1) as cloud:
        ec2 = client_for(cloud, "demo", "demo")
        [again] = ec2.describe_images()["Images"]
        assert again["ImageId"] == image["ImageId"]
        [reservation] = ec2.describe_instances()["Reservations"]
        assert reservation["ReservationId"] == reply["ReservationId"]
        assert reservation["Instances"][0]["InstanceId"] == before
        ec2.close()
