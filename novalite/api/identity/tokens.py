"""/v3/auth/tokens: issue (password and token methods), validate, check, revoke; and
/v3/auth/catalog."""

from novalite import exception
from novalite.api.faults import HTTPError
from novalite.api.identity import schemas, views
from novalite.api.request import ApiResponse
from novalite.identity.api import PasswordCredentials, Scope


def _password(identity: dict) -> PasswordCredentials:
    if "password" not in identity:
        raise HTTPError(400, "Expecting to find password in identity.")
    user = identity["password"]["user"]
    if not user.get("id") and not user.get("name"):
        raise HTTPError(400, "Expecting to find id or name in user.")
    domain = user.get("domain") or {}
    if not user.get("id") and not (domain.get("id") or domain.get("name")):
        raise HTTPError(400, "Expecting to find domain in user.")
    return PasswordCredentials(password=user["password"], user_id=user.get("id"),
                               user_name=user.get("name"), domain_id=domain.get("id"),
                               domain_name=domain.get("name"))


def _scope(scope) -> Scope | None:
    if scope is None or scope == {}:
        return None
    if scope == "unscoped":
        return Scope(unscoped=True)
    if "project" not in scope:
        return Scope(unsupported=",".join(sorted(scope)))  # domain, system, trust ...
    project = scope["project"]
    if not project.get("id") and not project.get("name"):
        raise HTTPError(400, "Expecting to find id or name in project.")
    domain = project.get("domain") or {}
    if not project.get("id") and not (domain.get("id") or domain.get("name")):
        raise HTTPError(400, "Expecting to find domain in project.")
    return Scope(project_id=project.get("id"), project_name=project.get("name"),
                 domain_id=domain.get("id"), domain_name=domain.get("name"))


def issue_token(req):
    body = req.json()
    schemas.validate(schemas.AUTH, body)
    auth = body["auth"]
    identity, methods = auth["identity"], auth["identity"]["methods"]
    password = _password(identity) if "password" in methods else None
    if "token" in methods and "token" not in identity:
        raise HTTPError(400, "Expecting to find token in identity.")
    token = identity["token"]["id"] if "token" in methods else None
    issued, info = req.app.identity_api.authenticate(methods, password=password, token=token,
                                                     scope=_scope(auth.get("scope")))
    return ApiResponse(201, views.token(req, info, "nocatalog" not in req.query),
                       {"x-subject-token": issued})


def _subject(req, rule: str):
    """(token, info) of X-Subject-Token, once policy lets the caller look at it."""
    subject = req.headers.get("x-subject-token")
    if not subject:
        raise HTTPError(400, "Expecting to find X-Subject-Token in the request headers.")
    try:
        info = req.app.identity_api.validate_token(subject)
    except exception.NotAuthenticated:
        raise exception.TokenNotFound() from None
    req.context.can(rule, {"user_id": info.user_id})
    return subject, info


def validate_token(req):
    rule = "identity:check_token" if req.method == "HEAD" else "identity:validate_token"
    subject, info = _subject(req, rule)
    return ApiResponse(200, views.token(req, info, "nocatalog" not in req.query),
                       {"x-subject-token": subject})


def revoke_token(req):
    subject, _ = _subject(req, "identity:revoke_token")
    req.app.identity_api.revoke_token(subject)
    return ApiResponse(204)


def show_catalog(req):
    if req.context.project_id is None:
        raise exception.Forbidden("The catalog needs a project-scoped token.")
    catalog = req.app.identity_api.catalog.for_host(views.client_host(req))
    return {"catalog": catalog, "links": {"self": req.url("auth", "catalog")}}
