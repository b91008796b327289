"""/v3/services, /v3/endpoints and /v3/regions: the configured catalog, read-only."""

from novalite import exception
from novalite.api.identity import views


def _catalog(req, rule):
    req.context.can(rule)
    return req.app.identity_api.catalog.for_host(views.client_host(req))


def _service(req, s) -> dict:
    return {"id": s["id"], "type": s["type"], "name": s["name"], "enabled": True,
            "description": "", "links": {"self": req.url("services", s["id"])}}


def _endpoints(req, catalog, service_type=None, interface=None) -> list[dict]:
    return [{**e, "service_id": s["id"], "enabled": True,
             "links": {"self": req.url("endpoints", e["id"])}}
            for s in catalog for e in s["endpoints"]
            if service_type in (None, s["type"]) and interface in (None, e["interface"])]


def list_services(req):
    catalog = _catalog(req, "identity:list_services")
    wanted = req.query.get("type")
    return views.collection(req, "services", [_service(req, s) for s in catalog
                                              if wanted in (None, s["type"])])


def show_service(req, service_id):
    for s in _catalog(req, "identity:list_services"):
        if s["id"] == service_id:
            return {"service": _service(req, s)}
    raise exception.NotFound("Could not find service: %s." % service_id)


def list_endpoints(req):
    catalog = _catalog(req, "identity:list_endpoints")
    service_type = None
    if req.query.get("service_id"):
        service_type = next((s["type"] for s in catalog
                             if s["id"] == req.query["service_id"]), "")
    return views.collection(req, "endpoints", _endpoints(
        req, catalog, service_type, req.query.get("interface")))


def show_endpoint(req, endpoint_id):
    for endpoint in _endpoints(req, _catalog(req, "identity:list_endpoints")):
        if endpoint["id"] == endpoint_id:
            return {"endpoint": endpoint}
    raise exception.NotFound("Could not find endpoint: %s." % endpoint_id)


def list_regions(req):
    region = req.app.identity_api.catalog.region
    return views.collection(req, "regions", [{
        "id": region, "description": "", "parent_region_id": None,
        "links": {"self": req.url("regions", region)}}])
