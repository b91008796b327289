"""The one EC2 XML renderer: a response is a dict whose keys are element names, rendered in
order; a list becomes <item> children of its element (EC2's `instancesSet`, `groupSet`
...); booleans are lowercase (botocore reads `True` as false); datetimes are ISO 8601 with
milliseconds and Z; None leaves the element out."""

import datetime
import re
from xml.sax.saxutils import escape

DEFAULT_VERSION = "2016-11-15"
_VERSION_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Characters XML 1.0 cannot carry at all (not even as references).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'


def namespace(version: str | None) -> str:
    """The API version's namespace; an unknown or malformed version gets the default one."""
    if not version or not _VERSION_RE.match(version):
        version = DEFAULT_VERSION
    return "http://ec2.amazonaws.com/doc/%s/" % version


def isotime(value: datetime.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (value.microsecond // 1000)


def _text(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, datetime.datetime):
        return isotime(value)
    return escape(_ILLEGAL.sub("?", str(value)))


def _render(out: list, name: str, value) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        out.append("<%s>" % name)
        for key, child in value.items():
            _render(out, key, child)
        out.append("</%s>" % name)
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("<%s/>" % name)
            return
        out.append("<%s>" % name)
        for item in value:
            _render(out, "item", item)
        out.append("</%s>" % name)
    else:
        out.append("<%s>%s</%s>" % (name, _text(value), name))


def render_response(action: str, version: str | None, request_id: str, body: dict) -> bytes:
    """<{Action}Response xmlns=...><requestId>...</requestId>...body...</{Action}Response>"""
    root = action + "Response"
    out = [_HEADER, '<%s xmlns="%s">' % (root, namespace(version)),
           "<requestId>%s</requestId>" % escape(request_id)]
    for key, value in body.items():
        _render(out, key, value)
    out.append("</%s>" % root)
    return "".join(out).encode("utf-8")


def render_error(code: str, message: str, request_id: str) -> bytes:
    """EC2's error document (note RequestID, with a capital ID)."""
    return ("%s<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors>"
            "<RequestID>%s</RequestID></Response>" % (
                _HEADER, escape(code), _text(message), escape(request_id))).encode("utf-8")
