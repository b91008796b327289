"""The SigV4 check accepts exactly what botocore signs (the client boto3 users run)."""

import datetime
import urllib.parse

import pytest
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from starlette.datastructures import Headers, QueryParams

from novalite.api.ec2 import errors, signature

SECRET = "s3cr3t-s3cr3t"
BODY = "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-00000001"


def _signed(url="http://127.0.0.1:8788/", body=BODY, region="RegionOne", service="ec2",
            secret=SECRET, method="POST", query_auth=False):
    request = AWSRequest(method=method, url=url, data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    creds = Credentials("AKEY", secret)
    if query_auth:
        SigV4QueryAuth(creds, service, region, expires=300).add_auth(request)
    else:
        SigV4Auth(creds, service, region).add_auth(request)
    prepared = request.prepare()
    split = urllib.parse.urlsplit(prepared.url)
    headers = {k.lower(): v for k, v in prepared.headers.items()}
    headers["host"] = split.netloc
    return (method, urllib.parse.unquote(split.path) or "/", QueryParams(split.query),
            Headers(headers), (prepared.body or b"") if isinstance(prepared.body, bytes)
            else (prepared.body or "").encode())


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _check(request, secret=SECRET, now=None):
    signed = signature.parse(*request)
    signature.check(signed, secret, now or _now(), 900)
    return signed


@pytest.mark.parametrize("region", ["RegionOne", "nova", "us-east-1"])
def test_botocore_signatures_verify_in_any_region(region):
    signed = _check(_signed(region=region))
    assert (signed.access_key, signed.region, signed.service) == ("AKEY", region, "ec2")


def test_endpoint_path_and_query_are_part_of_the_signature():
    _check(_signed(url="http://h:8773/services/Cloud?Action=DescribeRegions&Version=x",
                   method="GET", body=""))


def test_presigned_query_signature_verifies():
    _check(_signed(url="http://h:1/?Action=DescribeRegions&Version=2016-11-15", body="",
                   method="GET", query_auth=True))


def test_wrong_secret_is_signature_does_not_match():
    with pytest.raises(errors.SignatureDoesNotMatch):
        _check(_signed(), secret="other")


def test_tampered_body_is_signature_does_not_match():
    method, path, query, headers, body = _signed()
    with pytest.raises(errors.SignatureDoesNotMatch):
        _check((method, path, query, headers, body.replace(b"i-00000001", b"i-00000002")))


def test_other_service_is_refused():
    with pytest.raises(errors.SignatureDoesNotMatch, match="ec2"):
        _check(_signed(service="s3"))


@pytest.mark.parametrize("minutes", [-16, 16])
def test_clock_skew_over_15_minutes_is_auth_failure(minutes):
    with pytest.raises(errors.AuthFailure, match="expired"):
        _check(_signed(), now=_now() + datetime.timedelta(minutes=minutes))


def test_clock_skew_within_15_minutes_is_accepted():
    _check(_signed(), now=_now() + datetime.timedelta(minutes=14))


def test_unsigned_request_is_missing_authentication_token():
    method, path, query, headers, body = _signed()
    headers = Headers({k: v for k, v in headers.items() if k != "authorization"})
    with pytest.raises(errors.MissingAuthenticationToken):
        signature.parse(method, path, query, headers, body)


@pytest.mark.parametrize("value", [
    "AWS4-HMAC-SHA256 Credential=AKEY/20261121/r/ec2, SignedHeaders=host, Signature=ab",
    "AWS4-HMAC-SHA256 Credential=AKEY/20261121/r/ec2/aws4_request, SignedHeaders=x-a, "
    "Signature=ab",
    "AWS AKEY:abc",
    "AWS4-HMAC-SHA256 garbage",
])
def test_malformed_authorization_is_incomplete_signature(value):
    method, path, query, headers, body = _signed()
    headers = Headers({**dict(headers.items()), "authorization": value})
    with pytest.raises(errors.IncompleteSignature):
        signature.parse(method, path, query, headers, body)
