"""The five operations every core resource has (list, create with bulk, show, update,
delete), Neutron's way: 201 for a create, 204 for a delete, `fields=` on show and list,
If-Match on updates."""

from novalite.networking import exceptions
from novalite.networking.api import attributes, listing


class Resource:
    def __init__(self, name: str, collection: str, domain: str, path: str | None = None,
                 tagged: bool = True):
        self.name = name
        self.tagged = tagged  # has standard attributes, so tags (agents have none)
        self.collection = collection  # the JSON key of a list
        self.path = path or collection  # its URL (security-groups for security_groups)
        self.domain = domain  # the NetworkService attribute: networks, subnets, ports

    def _api(self, req):
        return getattr(req.app.service, self.domain)

    def _tagged(self, req, items: list[dict]) -> list[dict]:
        """Each item with its tags (standard-attr-tag)."""
        if not self.tagged:
            return items
        found = req.app.service.tags.of([i["id"] for i in items])
        for item in items:
            item["tags"] = found[item["id"]]
        return items

    def list(self, req):
        query = listing.Query(self.name, req.query)
        extra = {}
        if "fixed_ips" in query.special:
            extra["fixed_ips"] = [_fixed_ip_filter(v) for v in query.special["fixed_ips"]]
        items = self._api(req).list(req.context, query.filters, query.sorts, query.limit,
                                    query.marker, **extra)
        items = self._tagged(req, query.ordered(items))
        out = {self.collection: [query.select(i) for i in items]}
        links = query.links(req.base_url, self.path, items)
        if links:
            out[self.collection + "_links"] = links
        return 200, out

    def create(self, req):
        body = req.json()
        if isinstance(body, dict) and self.collection in body and len(body) == 1:
            return self._bulk(req, body[self.collection])
        values = attributes.check_body(self.name, "POST", body)
        return 201, {self.name: self._create(req, values)}

    def _create(self, req, values) -> dict:
        item = self._api(req).create(req.context, values)
        if not self.tagged:
            return item
        # tag-creation: tags given with the resource; a new one has no others to look up.
        item["tags"] = req.app.service.tags.replace(req.context, item, values["tags"]) \
            if values.get("tags") else []
        return item

    def _bulk(self, req, items):
        """{"<collection>": [...]}: all made, or none (what was made is removed again)."""
        if not isinstance(items, list) or not items:
            raise exceptions.HTTPBadRequest(message="Resources required")
        checked = [attributes.check_body(self.name, "POST", {self.name: i}) for i in items]
        made = []
        try:
            for values in checked:
                made.append(self._create(req, values))
        except Exception:
            for item in reversed(made):
                self._api(req).delete(req.context, item["id"])
            raise
        return 201, {self.collection: made}

    def show(self, req, resource_id):
        item = self._tagged(req, [self._api(req).get(req.context, resource_id)])[0]
        fields = [f for value in req.query.getlist("fields") for f in value.split(",") if f]
        return 200, {self.name: {k: v for k, v in item.items() if k in fields} if fields
                     else item}

    def update(self, req, resource_id):
        values = attributes.check_body(self.name, "PUT", req.json())
        return 200, {self.name: self._tagged(req, [self._api(req).update(
            req.context, resource_id, values, if_match=req.headers.get("if-match"))])[0]}

    # -- /<collection>/{id}/tags -------------------------------------------------------------

    def list_tags(self, req, resource_id):
        item = self._tagged(req, [self._api(req).get(req.context, resource_id)])[0]
        return 200, {"tags": item["tags"]}

    def replace_tags(self, req, resource_id):
        body = req.json()
        item = self._api(req).get(req.context, resource_id)
        if not isinstance(body, dict) or "tags" not in body:
            raise exceptions.HTTPBadRequest(message="Invalid tags body")
        return 200, {"tags": req.app.service.tags.replace(req.context, item, body["tags"])}

    def delete_tags(self, req, resource_id):
        item = self._api(req).get(req.context, resource_id)
        req.app.service.tags.replace(req.context, item, [])
        return 204, None

    def check_tag(self, req, resource_id, tag):
        req.app.service.tags.has(self._api(req).get(req.context, resource_id), tag)
        return 204, None

    def add_tag(self, req, resource_id, tag):
        req.app.service.tags.add(req.context, self._api(req).get(req.context, resource_id),
                                 tag)
        return 201, None

    def remove_tag(self, req, resource_id, tag):
        req.app.service.tags.remove(req.context,
                                    self._api(req).get(req.context, resource_id), tag)
        return 204, None

    def delete(self, req, resource_id):
        self._api(req).delete(req.context, resource_id)
        return 204, None


def _fixed_ip_filter(value: str) -> dict:
    """fixed_ips=ip_address=10.0.0.5 or fixed_ips=subnet_id=<id>"""
    key, _, wanted = value.partition("=")
    if key not in ("ip_address", "subnet_id") or not wanted:
        raise exceptions.HTTPBadRequest(message="Invalid fixed_ips filter '%s'" % value)
    return {key: wanted}


NETWORKS = Resource("network", "networks", "networks")
SUBNETS = Resource("subnet", "subnets", "subnets")
PORTS = Resource("port", "ports", "ports")
ROUTERS = Resource("router", "routers", "routers")
FLOATING_IPS = Resource("floatingip", "floatingips", "floating_ips")
SECURITY_GROUPS = Resource("security_group", "security_groups", "security_groups",
                           path="security-groups")
AGENTS = Resource("agent", "agents", "agents", tagged=False)
SECURITY_GROUP_RULES = Resource("security_group_rule", "security_group_rules",
                                "security_group_rules", path="security-group-rules")


def add_router_interface(req, resource_id):
    return 200, req.app.service.routers.add_interface(req.context, resource_id, req.json())


def remove_router_interface(req, resource_id):
    return 200, req.app.service.routers.remove_interface(req.context, resource_id,
                                                          req.json())
