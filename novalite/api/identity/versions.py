"""Version discovery: GET / (300, Keystone's {"versions": {"values": [...]}}) and GET /v3
(200, {"version": {...}}), served without a token."""

_V3 = {"id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
       "media-types": [{"base": "application/json",
                        "type": "application/vnd.openstack.identity-v3+json"}]}


def _v3(base_url: str) -> dict:
    return {**_V3, "links": [{"rel": "self", "href": base_url + "/v3/"}]}


def document_for(path: str, base_url: str):
    """(status, body) for a version document path, or None."""
    if path in ("", "/"):
        return 300, {"versions": {"values": [_v3(base_url)]}}
    if path in ("/v3", "/v3/"):
        return 200, {"version": _v3(base_url)}
    return None
