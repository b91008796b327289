"""/v3/users."""

from novalite.api.identity import params, schemas, views
from novalite.api.request import ApiResponse

_KNOWN = ("name", "password", "enabled", "default_project_id", "domain_id", "options")


def _extra(values: dict) -> dict:
    """Keystone keeps any other attribute (email, description ...) and shows it back."""
    return {k: v for k, v in values.items() if k not in _KNOWN}


def list_users(req):
    users = req.app.identity_api.users.list(
        req.context, name=req.query.get("name"), domain_id=req.query.get("domain_id"),
        enabled=params.flag(req.query, "enabled"))
    return views.collection(req, "users", [views.user(req, u) for u in users])


def show_user(req, user_id):
    return {"user": views.user(req, req.app.identity_api.users.get(req.context, user_id))}


def create_user(req):
    body = req.json()
    schemas.validate(schemas.USER_CREATE, body)
    values = body["user"]
    user = req.app.identity_api.users.create(
        req.context, name=values["name"], password=values.get("password"),
        enabled=values.get("enabled", True),
        default_project_id=values.get("default_project_id"),
        domain_id=values.get("domain_id") or "default", extra=_extra(values))
    return ApiResponse(201, {"user": views.user(req, user)})


def update_user(req, user_id):
    body = req.json()
    schemas.validate(schemas.USER_UPDATE, body)
    values = body["user"]
    user = req.app.identity_api.users.update(
        req.context, user_id, name=values.get("name"), enabled=values.get("enabled"),
        password=values.get("password"),
        default_project_id=values.get("default_project_id"), extra=_extra(values))
    return {"user": views.user(req, user)}


def delete_user(req, user_id):
    req.app.identity_api.users.delete(req.context, user_id)
    return ApiResponse(204)


def change_password(req, user_id):
    body = req.json()
    schemas.validate(schemas.PASSWORD_CHANGE, body)
    values = body["user"]
    req.app.identity_api.users.change_password(req.context, user_id,
                                               values["original_password"],
                                               values["password"])
    return ApiResponse(204)
