"""`openstack ec2 credentials create|list|show|delete` (python-openstackclient, through
keystoneclient's OS-EC2 calls), and the pair it makes working with boto3."""

import boto3
import pytest
from botocore.exceptions import ClientError


def test_create_list_use_delete(cloud):
    created = cloud.openstack("ec2", "credentials", "create", "-f", "json")
    access, secret = created["access"], created["secret"]
    assert created["project_id"] and created["user_id"]
    listed = cloud.openstack("ec2", "credentials", "list", "-f", "json")
    assert access in {c["Access"] for c in listed}
    shown = cloud.openstack("ec2", "credentials", "show", access, "-f", "json")
    assert shown["secret"] == secret

    ec2 = boto3.client("ec2", endpoint_url="http://127.0.0.1:%d" % cloud.ports["ec2"],
                       region_name="RegionOne", aws_access_key_id=access,
                       aws_secret_access_key=secret)
    assert ec2.describe_regions()["Regions"][0]["RegionName"] == "RegionOne"

    cloud.openstack("ec2", "credentials", "delete", access)
    listed = cloud.openstack("ec2", "credentials", "list", "-f", "json")
    assert access not in {c["Access"] for c in listed}
    with pytest.raises(ClientError) as excinfo:
        ec2.describe_regions()
    assert excinfo.value.response["Error"]["Code"] == "AuthFailure"


def test_a_user_cannot_list_the_admins_credentials(cloud):
    admin = cloud.openstack("token", "issue", "-f", "json", cloud="novalite-admin")
    done = cloud.openstack("ec2", "credentials", "list", "--user", admin["user_id"],
                           check=False)
    assert done.returncode != 0
