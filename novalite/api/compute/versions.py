"""Version documents: GET /, /v2 and /v2.1 (served without authentication)."""

from novalite.api import microversion

_V21 = {"id": "v2.1", "status": "CURRENT", "updated": "2013-07-23T11:33:21Z",
        "min_version": microversion.fmt(microversion.MIN_VERSION),
        "version": microversion.fmt(microversion.MAX_VERSION)}
_V20 = {"id": "v2.0", "status": "DEPRECATED", "updated": "2025-07-04T12:00:00Z",
        "min_version": "", "version": ""}
_MEDIA = {"base": "application/json",
          "type": "application/vnd.openstack.compute+json;version=2.1"}


def _entry(doc, href):
    return {**doc, "links": [{"rel": "self", "href": href}]}


def document_for(path: str, base_url: str):
    """(status, body) for a version document path, or None."""
    if path in ("", "/"):
        return 200, {"versions": [_entry(_V20, base_url + "/v2/"),
                                  _entry(_V21, base_url + "/v2.1/")]}
    if path in ("/v2.1", "/v2.1/"):
        doc = _entry(_V21, base_url + "/v2.1/")
        doc["links"].append({"rel": "describedby", "type": "text/html",
                             "href": "https://docs.openstack.org/"})
        doc["media-types"] = [_MEDIA]
        return 200, {"version": doc}
    if path in ("/v2", "/v2/"):
        doc = _entry(_V20, base_url + "/v2/")
        doc["media-types"] = [_MEDIA]
        return 200, {"version": doc}
    return None
