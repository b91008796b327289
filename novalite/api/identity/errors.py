"""Keystone's error body: {"error": {"code", "title", "message"}}."""

import orjson

TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
          405: "Method Not Allowed", 409: "Conflict", 413: "Request Entity Too Large",
          415: "Unsupported Media Type", 500: "Internal Server Error",
          501: "Not Implemented", 503: "Service Unavailable"}


def error_body(status: int, message: str) -> bytes:
    return orjson.dumps({"error": {"code": status, "title": TITLES.get(status, "Error"),
                                   "message": message}})
