"""The EC2 API's edges, with boto3 and with raw HTTP: signatures and credentials, key pairs,
zones and regions, the XML and error documents, and bad input (a 4xx, never a 500)."""

import datetime
import xml.etree.ElementTree as ET

import botocore.auth
import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from tests.functional.conftest import client_for, ec2_identity

NS = "{http://ec2.amazonaws.com/doc/2016-11-15/}"


@pytest.fixture(scope="module")
def ec2(ec2_client):
    return ec2_client("demo", "demo")


@pytest.fixture(scope="module")
def demo_credential(cloud):
    return ec2_identity(cloud, "demo", "demo")[2]


def _code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def _status(excinfo) -> int:
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def _signed_post(cloud, credential, body: str, region="RegionOne", path="/"):
    """A raw, correctly signed POST (for input boto3 would never send)."""
    request = AWSRequest(method="POST", url=cloud.ec2_url + path, data=body.encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    SigV4Auth(Credentials(credential.access, credential.secret), "ec2", region
              ).add_auth(request)
    prepared = request.prepare()
    return httpx.post(prepared.url, content=prepared.body, headers=dict(prepared.headers),
                      timeout=30)


def _error(resp) -> tuple[str, str]:
    root = ET.fromstring(resp.content)
    assert root.tag == "Response"
    assert root.find("RequestID").text.startswith("req-")
    error = root.find("Errors/Error")
    return error.find("Code").text, error.find("Message").text


# -- signatures and credentials ----------------------------------------------------------


def test_wrong_secret_is_signature_does_not_match(cloud, demo_credential):
    bad = client_for(cloud, "demo", "demo", secret="not-the-secret")
    with pytest.raises(ClientError) as excinfo:
        bad.describe_instances()
    assert _code(excinfo) == "SignatureDoesNotMatch"
    assert _status(excinfo) == 403


def test_unknown_access_key_is_auth_failure(cloud):
    bad = client_for(cloud, "demo", "demo", access="AKIANOSUCHKEY")
    with pytest.raises(ClientError) as excinfo:
        bad.describe_regions()
    assert _code(excinfo) == "AuthFailure"
    assert _status(excinfo) == 401


def test_skewed_clock_is_auth_failure(ec2, monkeypatch):
    late = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) \
        - datetime.timedelta(minutes=20)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda *a, **k: late)
    with pytest.raises(ClientError) as excinfo:
        ec2.describe_regions()
    assert _code(excinfo) == "AuthFailure"
    assert "expired" in excinfo.value.response["Error"]["Message"]


@pytest.mark.parametrize("region", ["nova", "us-east-1"])
def test_any_region_name_in_the_signature_works(cloud, region):
    client = client_for(cloud, "demo", "demo", region=region)
    assert client.describe_regions()["Regions"][0]["RegionName"] == "RegionOne"


def test_unsigned_request_is_refused(cloud):
    resp = httpx.post(cloud.ec2_url, data={"Action": "DescribeRegions",
                                           "Version": "2016-11-15"})
    assert resp.status_code == 401
    assert _error(resp)[0] == "MissingAuthenticationToken"


def test_deleted_credential_stops_working(cloud, ec2_client):
    from novalite.identity.ec2_credentials import EC2CredentialAPI

    user_id, project_id, _ = ec2_identity(cloud, "dora", "demo")
    api = EC2CredentialAPI(cloud.identity_api)
    credential = api.ensure(user_id, project_id, new=True)
    client = client_for(cloud, "dora", "demo", access=credential.access,
                        secret=credential.secret)
    client.describe_regions()
    from novalite.db import credentials as credentials_db
    from novalite.identity.ec2_credentials import credential_id

    credentials_db.delete(cloud.database, credential_id(credential.access))
    with pytest.raises(ClientError) as excinfo:
        client.describe_regions()
    assert _code(excinfo) == "AuthFailure"


def test_a_user_without_a_role_on_the_project_is_refused(cloud):
    from novalite.identity.ec2_credentials import EC2CredentialAPI

    user_id, _, _ = ec2_identity(cloud, "olga", "olgas")
    project = cloud.identity_api.projects.ensure("demo")
    credential = EC2CredentialAPI(cloud.identity_api).ensure(user_id, project.id, new=True)
    client = client_for(cloud, "olga", "olgas", access=credential.access,
                        secret=credential.secret)
    with pytest.raises(ClientError) as excinfo:
        client.describe_instances()
    assert _code(excinfo) == "AuthFailure"


# -- responses ---------------------------------------------------------------------------


def test_response_is_namespaced_xml_with_a_request_id(cloud, demo_credential):
    resp = _signed_post(cloud, demo_credential,
                        "Action=DescribeAvailabilityZones&Version=2016-11-15")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(resp.content)
    assert root.tag == NS + "DescribeAvailabilityZonesResponse"
    assert root.find(NS + "requestId").text == resp.headers["x-amzn-requestid"]
    zone = root.find(NS + "availabilityZoneInfo/" + NS + "item")
    assert zone.find(NS + "zoneName").text == "nova"
    assert zone.find(NS + "zoneState").text == "available"
    older = _signed_post(cloud, demo_credential,
                         "Action=DescribeRegions&Version=2014-10-01")
    assert ET.fromstring(older.content).tag == \
        "{http://ec2.amazonaws.com/doc/2014-10-01/}DescribeRegionsResponse"
    garbled = _signed_post(cloud, demo_credential,
                           "Action=DescribeRegions&Version=%ff%3c%2Fx%3e")
    assert ET.fromstring(garbled.content).tag == NS + "DescribeRegionsResponse"


def test_endpoint_path_is_part_of_the_signature(cloud, demo_credential):
    resp = _signed_post(cloud, demo_credential, "Action=DescribeRegions&Version=2016-11-15",
                        path="/services/Cloud")
    assert resp.status_code == 200, resp.text


@pytest.mark.parametrize("body,status,code", [
    ("Version=2016-11-15", 400, "MissingAction"),
    ("Action=DescribeSnapshots&Version=2016-11-15", 400, "InvalidAction"),
    ("Action=RunInstances&ImageId=ami-00000001&MinCount=abc&MaxCount=1", 400,
     "InvalidParameterValue"),
    ("Action=RunInstances&ImageId=ami-00000001&MinCount=0&MaxCount=1", 400,
     "InvalidParameterValue"),
    ("Action=RunInstances&ImageId=ami-00000001&MaxCount=1", 400, "MissingParameter"),
    ("Action=RunInstances&MinCount=1&MaxCount=1", 400, "MissingParameter"),
    ("Action=RunInstances&ImageId=ami-00000001&MinCount=1&MaxCount=1&UserData=%25%25", 400,
     "InvalidParameterValue"),
    ("Action=RunInstances&ImageId=ami-00000001&MinCount=1&MaxCount=1"
     "&BlockDeviceMapping.1.DeviceName=/dev/sdb&BlockDeviceMapping.1.Ebs.VolumeSize=1", 400,
     "UnsupportedOperation"),
    ("Action=DescribeInstances&Filter.1.Value.1=x", 400, "MissingParameter"),
    ("Action=DescribeInstances&InstanceId.99999999=i-00000001", 400,
     "InvalidParameterValue"),
    ("Action=DescribeInstances&MaxResults=5&NextToken=zz", 400, "InvalidParameterValue"),
    ("Action=DescribeInstances&InstanceId.1=i-00000001&MaxResults=5", 400,
     "InvalidParameterCombination"),
    ("Action=TerminateInstances", 400, "MissingParameter"),
    ("Action=DescribeRegions&Filter.1.Name=zz&Filter.1.Value.1=x", 400,
     "InvalidParameterValue"),
    ("Action=DescribeImages&ImageId.1=ami-zz", 400, "InvalidAMIID.Malformed"),
    ("Action=ImportKeyPair&KeyName=k&PublicKeyMaterial=bm90IGEga2V5", 400,
     "InvalidKey.Format"),
    ("Action=CreateKeyPair&KeyName=" + "k" * 300, 400, "InvalidParameterValue"),
    ("Action=DescribeRegions&RegionName.1=%00", 400, "InvalidParameterValue"),
])
def test_bad_input_is_a_client_error(cloud, demo_credential, ec2, body, status, code):
    [image] = ec2.describe_images()["Images"]  # maps the demo image to an EC2 id
    resp = _signed_post(cloud, demo_credential,
                        body.replace("ami-00000001", image["ImageId"]))
    assert resp.status_code == status, resp.text
    assert _error(resp)[0] == code


def test_other_methods_are_refused_with_an_ec2_error(cloud):
    resp = httpx.put(cloud.ec2_url, content=b"x")
    assert resp.status_code == 400
    assert _error(resp)[0] == "InvalidAction"


# -- key pairs, zones, regions -----------------------------------------------------------


def test_key_pairs(ec2, cloud):
    created = ec2.create_key_pair(KeyName="ec2-key")
    assert created["KeyMaterial"].startswith("-----BEGIN")
    assert created["KeyFingerprint"]
    imported = ec2.import_key_pair(KeyName="imported", PublicKeyMaterial=(
        b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsWbW0Y7yrC8Gq7LJHvvgK5WkG7ZBa6pWhEBa9pJfz3 u"))
    listed = {k["KeyName"]: k for k in ec2.describe_key_pairs()["KeyPairs"]}
    assert {"ec2-key", "imported"} <= set(listed)
    assert listed["imported"]["KeyFingerprint"] == imported["KeyFingerprint"]
    [only] = ec2.describe_key_pairs(KeyNames=["ec2-key"])["KeyPairs"]
    assert only["KeyFingerprint"] == created["KeyFingerprint"]
    by_filter = ec2.describe_key_pairs(Filters=[
        {"Name": "fingerprint", "Values": [imported["KeyFingerprint"]]}])["KeyPairs"]
    assert [k["KeyName"] for k in by_filter] == ["imported"]
    with pytest.raises(ClientError) as excinfo:
        ec2.create_key_pair(KeyName="ec2-key")
    assert _code(excinfo) == "InvalidKeyPair.Duplicate"
    # the same key pairs as the OpenStack API's
    user_id, project_id, _ = ec2_identity(cloud, "demo", "demo")
    nova = httpx.get(cloud.compute_url + "/os-keypairs",
                     headers={"X-Auth-Token": "%s:%s" % (user_id, project_id)}).json()
    assert {"ec2-key", "imported"} <= {k["keypair"]["name"] for k in nova["keypairs"]}
    ec2.delete_key_pair(KeyName="ec2-key")
    ec2.delete_key_pair(KeyName="ec2-key")  # deleting a missing key succeeds, as EC2
    with pytest.raises(ClientError) as excinfo:
        ec2.describe_key_pairs(KeyNames=["ec2-key"])
    assert _code(excinfo) == "InvalidKeyPair.NotFound"
    ec2.delete_key_pair(KeyName="imported")


def test_key_pairs_are_the_users_own(ec2_client):
    ec2_client("alice", "other").create_key_pair(KeyName="alices")
    assert "alices" not in {k["KeyName"] for k in
                            ec2_client("demo", "demo").describe_key_pairs()["KeyPairs"]}


def test_availability_zones_and_regions(ec2, cloud):
    [zone] = ec2.describe_availability_zones()["AvailabilityZones"]
    assert (zone["ZoneName"], zone["State"], zone["RegionName"]) == \
        ("nova", "available", "RegionOne")
    assert ec2.describe_availability_zones(ZoneNames=["mars"])["AvailabilityZones"] == []
    [region] = ec2.describe_regions()["Regions"]
    assert region["RegionName"] == "RegionOne"
    assert region["Endpoint"].rstrip("/") == cloud.ec2_url
