"""AWS Signature Version 4, checked on the server: the canonical request is rebuilt from what
arrived (method, path, query, the signed headers, the SHA-256 of the body) and signed again
with the credential's secret, as botocore's SigV4Auth signs it.

The region is whatever the client put in its credential scope (users type anything:
RegionOne, nova, us-east-1); the service must be `ec2`. Both the Authorization header and
presigned query parameters (X-Amz-Signature) are accepted.
"""

import dataclasses
import datetime
import hashlib
import hmac
import re
from email.utils import parsedate_to_datetime
from urllib.parse import quote

from novalite.api.ec2 import errors

ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "ec2"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
_AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*"
    r"Signature=([0-9a-fA-F]+)\s*$")
_AMZ_DATE = "%Y%m%dT%H%M%SZ"


@dataclasses.dataclass(frozen=True)
class SignedRequest:
    access_key: str
    date: str  # yyyymmdd of the credential scope
    region: str
    service: str
    signed_headers: tuple
    signature: str
    amz_date: str  # yyyymmddThhmmssZ
    # Presigned URLs may be signed over the body's hash or over UNSIGNED-PAYLOAD (botocore
    # picks by scheme): either canonical form is accepted there.
    canonical_requests: tuple = dataclasses.field(repr=False)

    @property
    def scope(self) -> str:
        return "/".join((self.date, self.region, self.service, "aws4_request"))

    def strings_to_sign(self) -> list[str]:
        return ["\n".join((ALGORITHM, self.amz_date, self.scope,
                           hashlib.sha256(canonical.encode()).hexdigest()))
                for canonical in self.canonical_requests]


def _uri_encode(value: str) -> str:
    return quote(value, safe="-_.~")


def canonical_query(items, skip=()) -> str:
    pairs = sorted((_uri_encode(k), _uri_encode(v)) for k, v in items if k not in skip)
    return "&".join("%s=%s" % pair for pair in pairs)


def _canonical_headers(headers, names) -> str:
    lines = []
    for name in names:
        values = headers.getlist(name) if hasattr(headers, "getlist") else [headers[name]]
        lines.append("%s:%s\n" % (name, ",".join(" ".join(v.split()) for v in values)))
    return "".join(lines)


def _amz_date(headers, query) -> str:
    value = query.get("X-Amz-Date") or headers.get("x-amz-date")
    if value:
        return value
    if headers.get("date"):  # a plain Date header, as SigV4 allows
        try:
            return parsedate_to_datetime(headers["date"]).strftime(_AMZ_DATE)
        except (TypeError, ValueError):
            pass
    raise errors.IncompleteSignature("The request must contain X-Amz-Date or Date.")


def parse(method: str, path: str, query, headers, body: bytes) -> SignedRequest:
    """The request's claimed signature and its canonical form. query: a multi-dict (the URL's
    parameters); headers: case-insensitive. Raises MissingAuthenticationToken when the
    request is not signed at all, IncompleteSignature when the signature is malformed."""
    query_items = list(query.multi_items())
    if "X-Amz-Signature" in query:  # presigned URL
        credential = query.get("X-Amz-Credential", "")
        signed_headers = query.get("X-Amz-SignedHeaders", "")
        signature = query.get("X-Amz-Signature", "")
        if query.get("X-Amz-Algorithm") != ALGORITHM or not credential or not signed_headers:
            raise errors.IncompleteSignature()
        payload_hashes = (hashlib.sha256(body).hexdigest(), UNSIGNED_PAYLOAD)
        skip = ("X-Amz-Signature",)
    else:
        header = headers.get("authorization")
        if not header:
            raise errors.MissingAuthenticationToken()
        found = _AUTH_RE.match(header.strip())
        if not found:
            raise errors.IncompleteSignature(
                "Authorization header requires AWS4-HMAC-SHA256 Credential, SignedHeaders "
                "and Signature.")
        credential, signed_headers, signature = found.groups()
        payload_hashes = (hashlib.sha256(body).hexdigest(),)
        skip = ()
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request" or not parts[0]:
        raise errors.IncompleteSignature("Credential should be <key>/<date>/<region>/ec2/"
                                         "aws4_request.")
    names = tuple(signed_headers.lower().split(";"))
    if "host" not in names or list(names) != sorted(names) or any(
            n not in headers for n in names):
        raise errors.IncompleteSignature("SignedHeaders must include host, sorted, and only "
                                         "headers the request has.")
    amz_date = _amz_date(headers, query)
    canonical = tuple("\n".join((
        method.upper(),
        quote(path or "/", safe="/~"),
        canonical_query(query_items, skip),
        _canonical_headers(headers, names),
        ";".join(names),
        payload_hash,
    )) for payload_hash in payload_hashes)
    return SignedRequest(access_key=parts[0], date=parts[1], region=parts[2],
                         service=parts[3], signed_headers=names, signature=signature.lower(),
                         amz_date=amz_date, canonical_requests=canonical)


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def signatures(signed: SignedRequest, secret: str) -> list[str]:
    key = signing_key(secret, signed.date, signed.region, signed.service)
    return [hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
            for text in signed.strings_to_sign()]


def check(signed: SignedRequest, secret: str, now: datetime.datetime,
          max_skew: int) -> None:
    """Raise unless the signature is the secret's and the request is current.
    now: naive UTC."""
    if signed.service != SERVICE:
        raise errors.SignatureDoesNotMatch(
            "Credential should be scoped to correct service: '%s'." % SERVICE)
    try:
        when = datetime.datetime.strptime(signed.amz_date, _AMZ_DATE)
    except ValueError:
        raise errors.IncompleteSignature("X-Amz-Date must be yyyymmddThhmmssZ.") from None
    if signed.date != signed.amz_date[:8]:
        raise errors.SignatureDoesNotMatch("Credential should be scoped to a valid date: "
                                           "'%s'." % signed.amz_date[:8])
    if abs((now - when).total_seconds()) > max_skew:
        raise errors.AuthFailure(
            "Signature not yet current or expired: the request's time %s is more than %d "
            "seconds from the server's time %s." % (signed.amz_date, max_skew,
                                                    now.strftime(_AMZ_DATE)))
    if not any([hmac.compare_digest(s, signed.signature)
                for s in signatures(signed, secret)]):
        raise errors.SignatureDoesNotMatch()
