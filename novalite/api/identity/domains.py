"""/v3/domains: the one domain, "Default", read-only."""

from novalite.api.identity import views


def list_domains(req):
    domains = req.app.identity_api.domains.list(req.context, name=req.query.get("name"))
    return views.collection(req, "domains", [views.domain(req, d) for d in domains])


def show_domain(req, domain_id):
    return {"domain": views.domain(
        req, req.app.identity_api.domains.get(req.context, domain_id))}
