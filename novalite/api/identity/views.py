"""Keystone v3 shapes of tokens, projects, users, roles and lists."""

import urllib.parse

from novalite.objects.identity import DEFAULT_DOMAIN_ID, DEFAULT_DOMAIN_NAME

_DOMAIN = {"id": DEFAULT_DOMAIN_ID, "name": DEFAULT_DOMAIN_NAME}


def isotime(value) -> str:
    """Keystone's token times: microseconds and Z."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def domain_ref(domain_id: str) -> dict:
    return dict(_DOMAIN) if domain_id == DEFAULT_DOMAIN_ID else {"id": domain_id,
                                                                 "name": domain_id}


def client_host(req) -> str | None:
    """The host name the client reached us by (for catalog URLs of wildcard listeners)."""
    return urllib.parse.urlsplit(req.base_url).hostname


def token(req, info, with_catalog: bool) -> dict:
    body = {"methods": list(info.methods), "audit_ids": list(info.audit_ids),
            "expires_at": isotime(info.expires_at), "issued_at": isotime(info.issued_at),
            "user": {"id": info.user_id, "name": info.user_name,
                     "domain": domain_ref(info.user_domain_id),
                     "password_expires_at": None}}
    if info.project_id is not None:
        body["project"] = {"id": info.project_id, "name": info.project_name,
                           "domain": domain_ref(info.project_domain_id)}
        body["is_domain"] = False
        body["roles"] = [{"id": i, "name": n}
                         for i, n in zip(info.role_ids, info.roles, strict=True)]
        if with_catalog:
            body["catalog"] = req.app.identity_api.catalog.for_host(client_host(req))
    return {"token": body}


def _self(req, *parts) -> dict:
    return {"self": req.url(*parts)}


def project(req, p) -> dict:
    return {"id": p.id, "name": p.name, "domain_id": p.domain_id,
            "description": p.description, "enabled": p.enabled,
            "parent_id": p.domain_id, "is_domain": False, "tags": [], "options": {},
            "links": _self(req, "projects", p.id)}


def user(req, u) -> dict:
    out = {**u.extra, "id": u.id, "name": u.name, "domain_id": u.domain_id,
           "enabled": u.enabled, "password_expires_at": None, "options": {},
           "links": _self(req, "users", u.id)}
    if u.default_project_id:
        out["default_project_id"] = u.default_project_id
    return out


def role(req, r) -> dict:
    return {"id": r.id, "name": r.name, "domain_id": None, "description": r.description,
            "options": {}, "links": _self(req, "roles", r.id)}


def domain(req, d) -> dict:
    return {**d, "tags": [], "options": {}, "links": _self(req, "domains", d["id"])}


def collection(req, key: str, items: list) -> dict:
    """A list with Keystone's links (no paging: every item in one answer)."""
    url = req.url(req.path.strip("/"))
    query = str(req.query)
    return {key: items, "links": {"self": url + ("?" + query if query else ""),
                                  "previous": None, "next": None}}


def role_assignment(req, a, include_names: bool) -> dict:
    user_ref, project_ref, role_ref = {"id": a.user_id}, {"id": a.project_id}, {"id": a.role_id}
    if include_names:
        user_ref.update(name=a.user_name, domain=dict(_DOMAIN))
        project_ref.update(name=a.project_name, domain=dict(_DOMAIN))
        role_ref["name"] = a.role_name
    return {"user": user_ref, "role": role_ref, "scope": {"project": project_ref},
            "links": {"assignment": req.url("projects", a.project_id, "users", a.user_id,
                                            "roles", a.role_id)}}
