"""What a handler gets (ApiRequest) and gives back (ApiResponse)."""

import json

from novalite.api.faults import HTTPError


class ApiResponse:
    __slots__ = ("status", "body", "headers")

    def __init__(self, status: int = 200, body=None, headers: dict | None = None):
        self.status = status
        self.body = body
        self.headers = headers or {}


class ApiRequest:
    def __init__(self, *, method, path, query, headers, body: bytes, context, version, app,
                 base_url: str, version_prefix: str, project_prefix: str = ""):
        self.method = method
        self.path = path
        self.query = query  # starlette QueryParams (a multi-dict)
        self.headers = headers
        self.body = body
        self.context = context
        self.version = version
        self.app = app  # the ComputeApp: .compute_api, .conf
        self.base_url = base_url  # e.g. http://127.0.0.1:8774
        self.version_prefix = version_prefix  # /v2.1 or /v2
        self.project_prefix = project_prefix  # "" or /<project_id>, as the client called us
        self._self_base = base_url + version_prefix + project_prefix + "/"
        self._bookmark_base = base_url + project_prefix + "/"

    def json(self):
        """The decoded body. Nova's rules: application/json (or none, or text/plain)."""
        content_type = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in ("", "application/json", "text/plain"):
            raise HTTPError(415, "Unsupported Content-Type")
        if not self.body:
            raise HTTPError(400, "The request body is missing.")
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as e:
            raise HTTPError(400, "Malformed request body") from e

    def url(self, *parts, versioned: bool = True) -> str:
        """An absolute link: self links carry the version, bookmarks do not (as Nova)."""
        path = "/".join(map(str, parts))
        return (self._self_base if versioned else self._bookmark_base) + path

    def links(self, *parts) -> list[dict]:
        return [{"rel": "self", "href": self.url(*parts)},
                {"rel": "bookmark", "href": self.url(*parts, versioned=False)}]
