"""Tags on networks, subnets, ports, security groups, routers and floating IPs (Neutron's
standard-attr-tag): seen by whoever sees the resource, changed by its project's members."""

from __future__ import annotations

from novalite.networking import authz, exceptions
from novalite.networking.db import tags as db_tags

MAX_LENGTH = 255


def check(tag) -> str:
    if not isinstance(tag, str) or not tag or len(tag) > MAX_LENGTH or "," in tag:
        raise exceptions.InvalidInput(error_message=(
            "Invalid input for tag. Reason: '%s' is not a valid tag (1 to %d characters, "
            "no commas)" % (tag, MAX_LENGTH)))
    return tag


class Tags:
    def __init__(self, database):
        self.database = database

    def of(self, resource_ids: list[str]) -> dict[str, list[str]]:
        with self.database.reader() as conn:
            return db_tags.of(conn, resource_ids)

    def _authorize(self, ctxt, item: dict) -> None:
        authz.authorize(ctxt, "update_tags", {"project_id": item.get("project_id")})

    def replace(self, ctxt, item: dict, values) -> list[str]:
        if not isinstance(values, list):
            raise exceptions.HTTPBadRequest(message="Invalid tags body")
        values = [check(t) for t in values]
        self._authorize(ctxt, item)
        with self.database.writer() as conn:
            db_tags.replace(conn, item["id"], values)
            return db_tags.of(conn, [item["id"]])[item["id"]]

    def add(self, ctxt, item: dict, tag: str) -> None:
        self._authorize(ctxt, item)
        with self.database.writer() as conn:
            db_tags.add(conn, item["id"], check(tag))

    def remove(self, ctxt, item: dict, tag: str) -> None:
        self._authorize(ctxt, item)
        with self.database.writer() as conn:
            if not db_tags.remove(conn, item["id"], tag):
                raise exceptions.TagNotFound(tag=tag)

    def has(self, item: dict, tag: str) -> None:
        if tag not in self.of([item["id"]])[item["id"]]:
            raise exceptions.TagNotFound(tag=tag)
