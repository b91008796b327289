"""The image API's ASGI app (Glance v2 wire format), on :9292.

For now it serves the image catalog read-only — version discovery, list and show — which
is what the OpenStack clients need to look up images by name or id when they boot or list
servers. Uploads, downloads and changes arrive with the image service.
"""

import logging
import re
import urllib.parse
import uuid

import orjson

from novalite import context as nl_context
from novalite import exception
from novalite.api import asgi, auth
from novalite.api.compute.server_view import isotime

LOG = logging.getLogger(__name__)

_IMAGE_RE = re.compile(r"^/v2/images/([^/]+)/?$")
_LIST_RE = re.compile(r"^/v2/images/?$")
_DEFAULT_LIMIT = 25
_MAX_LIMIT = 1000


def _versions(base_url: str) -> dict:
    return {"versions": [
        {"id": "v2.%d" % minor, "status": "CURRENT" if minor == 9 else "SUPPORTED",
         "links": [{"rel": "self", "href": base_url + "/v2/"}]}
        for minor in range(9, -1, -1)]}


def image_view(image) -> dict:
    """A Glance v2 image: custom properties are top-level keys."""
    out = {key: value for key, value in (image.properties or {}).items()}
    out.update({
        "id": image.id, "name": image.name, "status": image.status,
        "visibility": image.visibility, "protected": False, "os_hidden": False,
        "checksum": None, "os_hash_algo": None, "os_hash_value": None,
        "owner": image.owner, "size": image.size, "virtual_size": None,
        "min_disk": image.min_disk, "min_ram": image.min_ram,
        "disk_format": image.disk_format, "container_format": image.container_format,
        "created_at": isotime(image.created_at), "updated_at": isotime(image.updated_at),
        "tags": [], "self": "/v2/images/" + image.id, "file": "/v2/images/%s/file" % image.id,
        "schema": "/v2/schemas/image",
    })
    return out


class ImageApp(asgi.SyncApp):
    def __init__(self, conf, image_api, authenticate=None):
        super().__init__(conf.image.public_url, conf.api.max_request_threads, "image-api")
        self.conf = conf
        self.image_api = image_api
        self.authenticate = authenticate or auth.from_conf(conf)

    def handle(self, method, path, query, headers, body, base_url):
        request_id = nl_context.generate_request_id()
        out = {"x-openstack-request-id": request_id}
        if path in ("", "/", "/versions", "/v2", "/v2/"):
            status = 300 if path in ("", "/") else 200
            return self._json(out, status, _versions(base_url))
        try:
            ctxt = self.authenticate(headers, request_id)
        except auth.Unauthorized as e:
            return self._text(out, 401, "401 Unauthorized\n\n%s" % e)
        if method not in ("GET", "HEAD"):
            return self._text(out, 405 if _LIST_RE.match(path) or _IMAGE_RE.match(path)
                              else 404, "This image service is read-only for now.")
        try:
            if _LIST_RE.match(path):
                return self._json(out, 200, self._list(ctxt, query))
            found = _IMAGE_RE.match(path)
            if found:
                return self._json(out, 200, self._show(ctxt, found.group(1)))
        except exception.NotFound as e:
            return self._text(out, 404, "404 Not Found\n\n%s" % e)
        except exception.Invalid as e:
            return self._text(out, 400, "400 Bad Request\n\n%s" % e)
        except Exception:
            LOG.exception("Unexpected error in %s %s (request %s)", method, path, request_id)
            return self._text(out, 500, "500 Internal Server Error")
        return self._text(out, 404, "404 Not Found\n\nThe resource could not be found.")

    def _show(self, ctxt, image_id):
        try:
            uuid.UUID(image_id)
        except ValueError:  # name lookups try the name as an id first: a plain 404
            raise exception.ImageNotFound(image_id=image_id) from None
        return image_view(self.image_api.get(ctxt, image_id))

    def _list(self, ctxt, query) -> dict:
        try:
            limit = min(int(query.get("limit", _DEFAULT_LIMIT)), _MAX_LIMIT)
        except ValueError:
            raise exception.Invalid("limit param must be an integer") from None
        if limit < 0:
            raise exception.Invalid("limit param must be positive")
        filters = {}
        for key in ("name", "status", "visibility", "owner", "disk_format",
                    "container_format", "id"):
            value = query.get(key)
            if value is None:
                continue
            if value.startswith("in:"):
                value = [v.strip('"') for v in value[3:].split(",") if v]
            elif key == "id":
                value = [value]
            filters[key] = value
        images = self.image_api.list(ctxt, filters, limit, query.get("marker"))
        body = {"images": [image_view(i) for i in images], "schema": "/v2/schemas/images",
                "first": "/v2/images"}
        if len(images) == limit and images:
            params = [(k, v) for k, v in query.multi_items() if k != "marker"]
            params.append(("marker", images[-1].id))
            body["next"] = "/v2/images?" + urllib.parse.urlencode(params)
        return body

    @staticmethod
    def _json(out, status, body):
        out["content-type"] = "application/json"
        return status, out, orjson.dumps(body)

    @staticmethod
    def _text(out, status, message):
        out["content-type"] = "text/plain; charset=UTF-8"
        return status, out, message.encode()
