"""Query-string helpers shared by list handlers: booleans, limit/marker, next links."""

import datetime
import urllib.parse

from novalite.api.faults import HTTPError

_TRUE = {"1", "t", "true", "on", "y", "yes"}
_FALSE = {"0", "f", "false", "off", "n", "no"}


def strict_bool(name: str, value: str, empty=True) -> bool:
    """Python spellings ("True") arrive from clients; anything else is a 400."""
    text = value.strip().lower()
    if text == "":
        return empty
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise HTTPError(400, "Invalid value '%s' for %s: expected a boolean" % (value, name))


def limit_and_marker(req) -> tuple[int, str | None]:
    max_limit = req.app.conf.api.max_limit
    raw = req.query.get("limit")
    if raw is None:
        limit = max_limit
    else:
        try:
            limit = int(raw)
        except ValueError:
            raise HTTPError(400, "limit param must be an integer") from None
        if limit < 0:
            raise HTTPError(400, "limit param must be positive")
        limit = min(limit, max_limit)
    return limit, req.query.get("marker") or None


def check_known(req, allowed: set[str]) -> None:
    """From 2.75 Nova refuses query parameters a call does not know (before, it ignored
    them); the message is the JSON-Schema one Nova gives."""
    if not req.version.matches(2, 75):
        return
    unknown = sorted(set(req.query.keys()) - allowed)
    if unknown:
        raise HTTPError(400, "Additional properties are not allowed (%s %s unexpected)" % (
            ", ".join(repr(u) for u in unknown), "was" if len(unknown) == 1 else "were"))


def reject_nul(req, *values: str) -> None:
    """No name or id holds a NUL character, and PostgreSQL refuses one in any text: a
    400 for the query string and these values, rather than a database error."""
    for value in (*values, *(v for _, v in req.query.multi_items())):
        if isinstance(value, str) and "\x00" in value:
            raise HTTPError(400, "Invalid input: NUL characters are not allowed.")


def next_links(req, collection: str, items: list, limit: int, id_of) -> list:
    """Nova's *_links: a next link when the page is full."""
    if not items or len(items) < limit:
        return []
    params = [(k, v) for k, v in req.query.multi_items() if k != "marker"]
    params.append(("marker", id_of(items[-1])))
    href = req.url(collection) + "?" + urllib.parse.urlencode(params)
    return [{"rel": "next", "href": href}]


def iso_datetime(name: str, value: str) -> datetime.datetime:
    """An ISO 8601 time as naive UTC (as stored)."""
    try:
        parsed = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise HTTPError(400, "Invalid %s value" % name) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.UTC).replace(tzinfo=None)
    return parsed
