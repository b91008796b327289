"""The image API's ASGI app (Glance v2 wire format), on :9292.

JSON calls (images, tags, schemas) go through asgi.SyncApp's `handle`; image data
(`/v2/images/{id}/file`) streams through data.ImageData. Errors are Glance-style plain
text ("404 Not Found\\n\\n<message>").
"""

import asyncio
import datetime
import logging
import re
import urllib.parse
import uuid

import orjson

from novalite import context as nl_context
from novalite import exception
from novalite.api import asgi, auth
from novalite.api.image import data, views
from novalite.image import upload
from novalite.image.api import SORT_KEYS, TIME_FILTER_OPERATORS
from novalite.image.members import MEMBER_STATUSES, MemberAPI

LOG = logging.getLogger(__name__)

# No trailing slash: "/v2/images/" names an image with a blank id (404, as Glance).
_LIST_RE = re.compile(r"^/v2/images$")
_IMAGE_RE = re.compile(r"^/v2/images/([^/]+)/?$")
_TAG_RE = re.compile(r"^/v2/images/([^/]+)/tags/([^/]+)$")
_FILE_RE = re.compile(r"^/v2/images/([^/]+)/file$")
_TASKS_RE = re.compile(r"^/v2/images/([^/]+)/tasks/?$")
_ACTION_RE = re.compile(r"^/v2/images/([^/]+)/actions/(deactivate|reactivate)$")
_MEMBERS_RE = re.compile(r"^/v2/images/([^/]+)/members/?$")
_MEMBER_RE = re.compile(r"^/v2/images/([^/]+)/members/([^/]+)$")
_SCHEMAS = {"/v2/schemas/image": views.image_schema, "/v2/schemas/images": views.images_schema,
            "/v2/schemas/member": views.member_schema,
            "/v2/schemas/members": views.members_schema}
_PATCH_TYPE = "application/openstack-images-v2.1-json-patch"
# Glance's first patch format, still accepted (Tempest sends it): {"replace": "/name", ...}.
_PATCH_TYPE_V20 = "application/openstack-images-v2.0-json-patch"
_DEFAULT_LIMIT = 25
_MAX_LIMIT = 1000
_LIST_FILTERS = ("name", "status", "visibility", "owner", "disk_format", "container_format",
                 "id")
# Every other query key of a list is an additional property to match, as in Glance.
_LIST_PARAMS = {*_LIST_FILTERS, "size_min", "size_max", "protected", "os_hidden",
                "created_at", "updated_at", "tag", "member_status", "limit", "marker",
                "sort", "sort_key", "sort_dir"}

# Re-exported: the view used to live here.
image_view = views.image_view


def _versions(base_url: str) -> dict:
    return {"versions": [
        {"id": "v2.%d" % minor, "status": "CURRENT" if minor == 9 else "SUPPORTED",
         "links": [{"rel": "self", "href": base_url + "/v2/"}]}
        for minor in range(9, -1, -1)]}


class _HTTPError(Exception):
    def __init__(self, status, title, message):
        super().__init__(message)
        self.status, self.title = status, title


def _json_body(body: bytes):
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise exception.Invalid("Malformed JSON in request body.") from None


def _check_uuid(image_id):
    try:
        uuid.UUID(image_id)
    except ValueError:  # name lookups try the name as an id first: a plain 404
        raise exception.ImageNotFound(image_id=image_id) from None


def _pointer(path) -> str:
    """The attribute a JSON-patch path names (a one-level JSON pointer)."""
    if not isinstance(path, str) or not path.startswith("/") or path.count("/") != 1 \
            or len(path) < 2:
        raise exception.Invalid("Invalid JSON pointer for this resource: '%s'" % (path,))
    return path[1:].replace("~1", "/").replace("~0", "~")


def _patch_changes(body, content_type=_PATCH_TYPE) -> list:
    if not isinstance(body, list):
        raise exception.Invalid("Request body must be a JSON array of operation objects.")
    if content_type == _PATCH_TYPE_V20:
        body = [_v20_operation(op) for op in body]
    changes = []
    for op in body:
        if not isinstance(op, dict) or op.get("op") not in ("add", "replace", "remove"):
            raise exception.Invalid("Operations must be JSON objects with op add, replace "
                                    "or remove.")
        if op["op"] != "remove" and "value" not in op:
            raise exception.Invalid("Operation %s needs a value." % op["op"])
        changes.append((op["op"], _pointer(op.get("path")), op.get("value")))
    return changes


def _v20_operation(op):
    """{"add": "/path", "value": v} -> {"op": "add", "path": "/path", "value": v}."""
    if not isinstance(op, dict):
        return op
    names = [name for name in ("add", "replace", "remove") if name in op]
    if len(names) != 1:
        raise exception.Invalid("Each operation must name one of add, replace or remove.")
    out = {"op": names[0], "path": op[names[0]]}
    if "value" in op:
        out["value"] = op["value"]
    return out


def _boolean(name, value) -> bool:
    # Glance parses with oslo's strict bool: any case (openstacksdk sends 'True').
    if value.lower() not in ("true", "false"):
        raise exception.Invalid("Invalid value for %s: use true or false." % name)
    return value.lower() == "true"


def _parse_time(value: str) -> datetime.datetime:
    """ISO 8601 -> naive UTC, as stored; without a zone the time is UTC (as Glance)."""
    when = datetime.datetime.fromisoformat(value)
    if when.tzinfo is not None:
        when = when.astimezone(datetime.UTC).replace(tzinfo=None)
    return when


def _time_filter(name, expression) -> tuple[str, datetime.datetime]:
    """Glance's comparison filter 'op:ISO-8601' (op gt, gte, eq, neq, lt or lte); a bare
    time means eq. The time's own colons are why the whole value is tried first."""
    try:
        return "eq", _parse_time(expression)
    except ValueError:
        pass
    op, _, value = expression.partition(":")
    if op not in TIME_FILTER_OPERATORS:
        raise exception.Invalid("Invalid operator '%s' for %s; use one of %s." % (
            op, name, ", ".join(TIME_FILTER_OPERATORS)))
    try:
        return op, _parse_time(value)
    except ValueError:
        raise exception.Invalid("Invalid time '%s' for %s: use ISO 8601, e.g. "
                                "2026-01-01T00:00:00Z." % (value, name)) from None


def _sort(query) -> list[tuple[str, str]]:
    """Glance's two syntaxes: sort=key[:dir],... or sort_key=K (repeatable) with sort_dir
    (one for all keys, or one per key). Directions default to desc."""
    if "sort" in query:
        if "sort_key" in query or "sort_dir" in query:
            raise exception.Invalid("Old and new sorting syntax cannot be combined.")
        pairs = []
        for item in query["sort"].strip().split(","):
            key, _, direction = item.partition(":")
            pairs.append((key.strip(), direction.strip() or "desc"))
    else:
        keys, dirs = query.getlist("sort_key") or ["created_at"], query.getlist("sort_dir")
        if len(dirs) > 1 and len(dirs) != len(keys):
            raise exception.Invalid("Number of sort dirs does not match the number of "
                                    "sort keys.")
        dirs = dirs if len(dirs) > 1 else (dirs or ["desc"]) * len(keys)
        pairs = [(k.strip(), d.strip()) for k, d in zip(keys, dirs, strict=True)]
    for key, direction in pairs:
        if key not in SORT_KEYS:
            raise exception.Invalid("Invalid sort key: %s. It must be one of the "
                                    "following: %s." % (key, ", ".join(SORT_KEYS)))
        if direction not in ("asc", "desc"):
            raise exception.Invalid("Invalid sort direction: %s" % direction)
    return pairs


class ImageApp(asgi.SyncApp):
    def __init__(self, conf, image_api, authenticate=None):
        super().__init__(conf.image.public_url, conf.api.max_request_threads, "image-api",
                         conf.api.max_request_body_size)
        self.conf = conf
        self.image_api = image_api
        self.members = MemberAPI(image_api)
        self.authenticate = authenticate or auth.from_conf(conf)
        self.data = data.ImageData(
            self._executor, image_api, self.authenticate, conf.image.chunk_size,
            upload.heartbeat_interval(conf.image.stale_upload_timeout))

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self._lifespan(receive, send)
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD", "PUT"):
            found = _FILE_RE.match(scope["path"])
            if found:
                return await self.data(scope, receive, send, found.group(1))
        return await super().__call__(scope, receive, send)

    async def _lifespan(self, receive, send):
        """Uploads a dead process left `saving` are swept at start, then periodically: any
        of the processes sharing the database and the store may find them."""
        sweeper = None
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self._sweep()
                sweeper = asyncio.ensure_future(self._sweep_periodically())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if sweeper is not None:
                    sweeper.cancel()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _sweep(self):
        try:
            await asyncio.get_running_loop().run_in_executor(
                self._executor, self.image_api.sweep_stale_uploads,
                self.conf.image.stale_upload_timeout)
        except Exception:  # e.g. the database is away: the next sweep tries again
            LOG.exception("Sweeping stale image uploads failed")

    async def _sweep_periodically(self):
        while True:
            await asyncio.sleep(self.conf.image.stale_upload_timeout / 2)
            await self._sweep()

    def body_too_large(self):
        out = {"x-openstack-request-id": nl_context.generate_request_id()}
        return self._text(out, 413, "413 Request Entity Too Large\n\nThe body is over %d "
                                    "bytes." % self.max_body_size)

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
        try:
            return self._route(ctxt, method, path, query, headers, body, out)
        except _HTTPError as e:
            return self._text(out, e.status, "%d %s\n\n%s" % (e.status, e.title, e))
        except Exception as e:
            known = data.error_status(e)
            if known is not None:
                return self._text(out, known[0], "%d %s\n\n%s" % (*known, e))
            LOG.exception("Unexpected error in %s %s (request %s)", method, path, request_id)
            return self._text(out, 500, "500 Internal Server Error")

    def _route(self, ctxt, method, path, query, headers, body, out):
        api = self.image_api
        if path in _SCHEMAS and method in ("GET", "HEAD"):
            return self._json(out, 200, _SCHEMAS[path]())
        if path == "/v2/info/import" and method in ("GET", "HEAD"):
            # Glance's discovery call: interoperable import is not offered (uploads are
            # direct PUTs to /file), so no methods are listed.
            return self._json(out, 200, {"import-methods": {
                "description": "Import methods available.", "type": "array", "value": []}})
        if _LIST_RE.match(path):
            if method in ("GET", "HEAD"):
                return self._json(out, 200, self._list(ctxt, query))
            if method == "POST":
                values = _json_body(body)
                if not isinstance(values, dict):
                    raise exception.Invalid("Request body must be a JSON object.")
                image = api.create(ctxt, values)
                out["location"] = "/v2/images/" + image.id
                return self._json(out, 201, views.image_view(image))
            return self._not_allowed()
        found = _IMAGE_RE.match(path)
        if found:
            image_id = found.group(1)
            _check_uuid(image_id)
            if method in ("GET", "HEAD"):
                return self._json(out, 200, views.image_view(api.get(ctxt, image_id)))
            if method == "PATCH":
                content_type = headers.get("content-type", "").split(";")[0].strip()
                if content_type not in (_PATCH_TYPE, _PATCH_TYPE_V20):
                    raise _HTTPError(415, "Unsupported Media Type",
                                     "PATCH needs Content-Type %s." % _PATCH_TYPE)
                image = api.update(ctxt, image_id,
                                   _patch_changes(_json_body(body), content_type))
                return self._json(out, 200, views.image_view(image))
            if method == "DELETE":
                api.delete(ctxt, image_id)
                return 204, out, b""
            return self._not_allowed()
        found = _TAG_RE.match(path)
        if found:
            image_id, tag = found.group(1), urllib.parse.unquote(found.group(2))
            _check_uuid(image_id)
            if method == "PUT":
                api.add_tag(ctxt, image_id, tag)
            elif method == "DELETE":
                api.remove_tag(ctxt, image_id, tag)
            else:
                return self._not_allowed()
            return 204, out, b""
        if _FILE_RE.match(path):
            return self._not_allowed()
        found = _TASKS_RE.match(path)
        if found:
            if method not in ("GET", "HEAD"):
                return self._not_allowed()
            _check_uuid(found.group(1))
            api.get(ctxt, found.group(1))  # 404 for an image the caller cannot see
            # Tasks come from interoperable image import, which novalite does not offer
            # (uploads are direct): an image never has any.
            return self._json(out, 200, {"tasks": []})
        found = _ACTION_RE.match(path)
        if found:
            if method != "POST":
                return self._not_allowed()
            _check_uuid(found.group(1))
            api.set_active(ctxt, found.group(1), found.group(2) == "reactivate")
            return 204, out, b""
        if _MEMBERS_RE.match(path) or _MEMBER_RE.match(path):
            return self._members(ctxt, method, path, body, out)
        raise _HTTPError(404, "Not Found", "The resource could not be found.")

    def _members(self, ctxt, method, path, body, out):
        found = _MEMBERS_RE.match(path)
        if found:
            image_id = found.group(1)
            _check_uuid(image_id)
            if method in ("GET", "HEAD"):
                members = self.members.list(ctxt, image_id)
                return self._json(out, 200, {"members": [views.member_view(m) for m in members],
                                             "schema": "/v2/schemas/members"})
            if method == "POST":
                values = _json_body(body)
                if not isinstance(values, dict) or "member" not in values:
                    raise exception.Invalid("Request body must be {\"member\": <project>}.")
                member = self.members.create(ctxt, image_id, values["member"])
                return self._json(out, 200, views.member_view(member))
            return self._not_allowed()
        found = _MEMBER_RE.match(path)
        image_id, member_id = found.group(1), urllib.parse.unquote(found.group(2))
        _check_uuid(image_id)
        if method in ("GET", "HEAD"):
            return self._json(out, 200, views.member_view(
                self.members.get(ctxt, image_id, member_id)))
        if method == "PUT":
            values = _json_body(body)
            if not isinstance(values, dict):
                raise exception.Invalid("Request body must be {\"status\": <status>}.")
            return self._json(out, 200, views.member_view(self.members.update(
                ctxt, image_id, member_id, values.get("status"))))
        if method == "DELETE":
            self.members.delete(ctxt, image_id, member_id)
            return 204, out, b""
        return self._not_allowed()

    @staticmethod
    def _not_allowed():
        raise _HTTPError(405, "Method Not Allowed",
                         "The method is not allowed for this resource.")

    def _list(self, ctxt, query) -> dict:
        try:
            limit = min(int(query.get("limit", _DEFAULT_LIMIT)), _MAX_LIMIT)
            for key in ("size_min", "size_max"):
                if query.get(key) is not None:
                    int(query[key])
        except ValueError:
            raise exception.Invalid("limit, size_min and size_max must be integers") \
                from None
        if limit < 0:
            raise exception.Invalid("limit param must be positive")
        filters = {}
        for key in _LIST_FILTERS:
            value = query.get(key)
            if value is None:
                continue
            if value.startswith("in:"):
                value = [v.strip('"') for v in value[3:].split(",") if v]
            elif key == "id":
                value = [value]
            filters[key] = value
        for key in ("size_min", "size_max"):
            if query.get(key) is not None:
                filters[key] = int(query[key])
        for key in ("protected", "os_hidden"):
            if query.get(key) is not None:
                filters[key] = _boolean(key, query[key])
        for key in ("created_at", "updated_at"):
            if query.getlist(key):  # each one narrows the list: a range takes two
                filters[key] = [_time_filter(key, v) for v in query.getlist(key)]
        if query.getlist("tag"):
            filters["tags"] = query.getlist("tag")
        properties = {k: v for k, v in query.items() if k not in _LIST_PARAMS}
        if properties:
            filters["properties"] = properties
        if query.get("member_status") is not None:
            if query["member_status"] not in (*MEMBER_STATUSES, "all"):
                raise exception.Invalid("Invalid member_status %s." % query["member_status"])
            filters["member_status"] = query["member_status"]
        images = self.image_api.list(ctxt, filters, limit, query.get("marker"),
                                     _sort(query))
        body = {"images": [views.image_view(i) for i in images],
                "schema": "/v2/schemas/images", "first": "/v2/images"}
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
