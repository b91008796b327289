"""The one EC2 XML renderer, read back by botocore's own EC2 parser."""

import datetime
import xml.etree.ElementTree as ET

import botocore.session
from botocore.parsers import EC2QueryParser

from novalite.api.ec2 import xml

NS = "{http://ec2.amazonaws.com/doc/2016-11-15/}"


def _parse(operation: str, body: bytes, status: int = 200) -> dict:
    model = botocore.session.get_session().get_service_model("ec2")
    shape = model.operation_model(operation).output_shape
    return EC2QueryParser().parse({"body": body, "headers": {}, "status_code": status}, shape)


def test_lists_booleans_dates_and_nesting_as_botocore_reads_them():
    when = datetime.datetime(2026, 11, 21, 22, 55, 57, 123456)
    body = xml.render_response("DescribeImages", "2016-11-15", "req-1", {"imagesSet": [
        {"imageId": "ami-00000001", "isPublic": True, "creationDate": when,
         "imageState": "available", "blockDeviceMapping": [], "description": None,
         "tagSet": [{"key": "a", "value": "<&>"}]},
        {"imageId": "ami-00000002", "isPublic": False}]})
    parsed = _parse("DescribeImages", body)
    first, second = parsed["Images"]
    assert first["ImageId"] == "ami-00000001" and first["Public"] is True
    assert second["Public"] is False
    assert first["CreationDate"] == "2026-11-21T22:55:57.123Z"
    assert first["Tags"] == [{"Key": "a", "Value": "<&>"}]
    assert first["BlockDeviceMappings"] == [] and "Description" not in first
    assert parsed["ResponseMetadata"]["RequestId"] == "req-1"


def test_root_element_and_namespace_follow_the_action_and_version():
    root = ET.fromstring(xml.render_response("DescribeRegions", "2014-10-01", "r", {}))
    assert root.tag == "{http://ec2.amazonaws.com/doc/2014-10-01/}DescribeRegionsResponse"
    for bad in (None, "", "x", '2016"/><evil', "2016-11-15-extra"):
        root = ET.fromstring(xml.render_response("DescribeRegions", bad, "r", {}))
        assert root.tag == NS + "DescribeRegionsResponse"


def test_characters_xml_cannot_carry_are_replaced():
    body = xml.render_response("DescribeKeyPairs", None, "r", {"keySet": [
        {"keyName": "a\x01b\x1fc", "keyFingerprint": "f"}]})
    assert _parse("DescribeKeyPairs", body)["KeyPairs"][0]["KeyName"] == "a?b?c"


def test_error_document_is_what_botocore_turns_into_a_client_error():
    body = xml.render_error("InvalidInstanceID.NotFound", "The instance 'i-1' <x>", "req-9")
    parsed = _parse("DescribeInstances", body, status=400)
    assert parsed["Error"]["Code"] == "InvalidInstanceID.NotFound"
    assert parsed["Error"]["Message"] == "The instance 'i-1' <x>"
    assert parsed["ResponseMetadata"]["RequestId"] == "req-9"


def test_isotime_of_aware_datetimes_is_utc():
    tz = datetime.timezone(datetime.timedelta(hours=2))
    assert xml.isotime(datetime.datetime(2026, 1, 1, 2, 0, tzinfo=tz)) == \
        "2026-01-01T00:00:00.000Z"
