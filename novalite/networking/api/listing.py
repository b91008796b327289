"""The query of a list, as Neutron reads it: filters on attributes (repeated keys are an
OR), `fields=`, `sort_key`/`sort_dir` pairs, `limit`/`marker` with `<collection>_links`."""

import urllib.parse

from novalite.networking import exceptions
from novalite.networking.api import attributes
from novalite.networking.db.query import TAGS
from novalite.networking.db.tags import TAG_FILTERS

# API attribute -> column, where they differ.
COLUMNS = {
    "network": {"router:external": "external", "provider:network_type": "network_type",
                "provider:physical_network": "physical_network",
                "provider:segmentation_id": "segmentation_id", "tenant_id": "project_id"},
    "subnet": {"tenant_id": "project_id"},
    "security_group": {"tenant_id": "project_id"},
    "security_group_rule": {"tenant_id": "project_id"},
    "router": {"tenant_id": "project_id"},
    "floatingip": {"tenant_id": "project_id"},
    "agent": {},
    "port": {"binding:host_id": "binding_host_id", "binding:vnic_type": "binding_vnic_type",
             "binding:vif_type": "binding_vif_type", "tenant_id": "project_id"},
}
_PAGING = {"fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse"}
# Attributes the lists take that are not plain columns (the handler reads them).
SPECIAL = {"port": {"fixed_ips"}}
MAX_LIMIT = 1000


class Query:
    def __init__(self, resource: str, query):
        self.resource = resource
        self.fields = [f for value in query.getlist("fields") for f in value.split(",") if f]
        self.filters = {}
        self.special = {}
        for key in dict.fromkeys(query.keys()):
            if key in _PAGING:
                continue
            values = query.getlist(key)
            if key in TAG_FILTERS:
                self.filters.setdefault(TAGS, {})[key] = [
                    t for value in values for t in value.split(",") if t]
                continue
            if key in SPECIAL.get(resource, ()):
                self.special[key] = values
                continue
            spec = attributes.ATTRIBUTES[resource].get(key)
            if spec is None or spec[3] is None:
                raise exceptions.HTTPBadRequest(message="[%s] is invalid attribute for "
                                                "filtering" % key)
            column = COLUMNS[resource].get(key, key)
            self.filters.setdefault(column, []).extend(
                attributes.filter_value(resource, key, v) for v in values)
        keys, dirs = query.getlist("sort_key"), query.getlist("sort_dir")
        if dirs and len(dirs) != len(keys):
            raise exceptions.HTTPBadRequest(message="The number of sort_keys and sort_dirs "
                                            "must be same")
        self.sorts = []
        for i, key in enumerate(keys):
            spec = attributes.ATTRIBUTES[resource].get(key)
            if spec is None or spec[3] is None:
                raise exceptions.HTTPBadRequest(message="[%s] is invalid attribute for "
                                                "sort_keys" % key)
            direction = dirs[i] if dirs else "asc"
            if direction not in ("asc", "desc"):
                raise exceptions.HTTPBadRequest(message="[%s] is invalid value for sort_dirs, "
                                                "valid values are ['asc', 'desc']"
                                                % direction)
            self.sorts.append((COLUMNS[resource].get(key, key), direction))
        self.limit = None
        if query.get("limit"):
            try:
                self.limit = int(query["limit"])
            except ValueError:
                raise exceptions.HTTPBadRequest(message="Limit must be an integer 0 or "
                                                "greater and not '%s'" % query["limit"]
                                                ) from None
            if self.limit < 0:
                raise exceptions.HTTPBadRequest(message="Limit must be an integer 0 or "
                                                "greater and not '%d'" % self.limit)
            self.limit = min(self.limit, MAX_LIMIT) or None
        self.marker = query.get("marker") or None
        # The page before the marker: read backwards, answered in the usual order.
        self.reverse = (query.get("page_reverse") or "").lower() == "true"
        if self.reverse:
            self.sorts = [(c, "desc" if d == "asc" else "asc")
                          for c, d in self.sorts] or [("id", "desc")]
        self._query = query

    def ordered(self, items: list) -> list:
        return items[::-1] if self.reverse else items

    def select(self, item: dict) -> dict:
        return {k: v for k, v in item.items() if k in self.fields} if self.fields else item

    def links(self, base: str, collection: str, items: list) -> list:
        """next when the page is full, previous when it started after a marker."""
        if self.limit is None:
            return []
        links = []
        params = [(k, v) for k, v in self._query.multi_items()
                  if k not in ("marker", "page_reverse")]
        if len(items) == self.limit and items:
            links.append({"rel": "next", "href": "%s/v2.0/%s?%s" % (
                base, collection, urllib.parse.urlencode(
                    params + [("marker", items[-1]["id"])]))})
        if self.marker and items:
            links.append({"rel": "previous", "href": "%s/v2.0/%s?%s" % (
                base, collection, urllib.parse.urlencode(
                    params + [("marker", items[0]["id"]), ("page_reverse", "True")]))})
        return links
