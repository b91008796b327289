"""/v3/projects, /v3/auth/projects and /v3/users/{id}/projects."""

from novalite.api.faults import HTTPError
from novalite.api.identity import params, schemas, views
from novalite.api.request import ApiResponse


def list_projects(req):
    projects = req.app.identity_api.projects.list(
        req.context, name=req.query.get("name"), domain_id=req.query.get("domain_id"),
        enabled=params.flag(req.query, "enabled"))
    return views.collection(req, "projects", [views.project(req, p) for p in projects])


def show_project(req, project_id):
    return {"project": views.project(
        req, req.app.identity_api.projects.get(req.context, project_id))}


def create_project(req):
    body = req.json()
    schemas.validate(schemas.PROJECT_CREATE, body)
    values = body["project"]
    if values.get("is_domain"):
        raise HTTPError(400, "Projects acting as domains are not supported.")
    domain_id = values.get("domain_id") or "default"
    if values.get("parent_id") not in (None, domain_id):
        raise HTTPError(400, "Project hierarchies are not supported.")
    project = req.app.identity_api.projects.create(
        req.context, name=values["name"], description=values.get("description") or "",
        enabled=values.get("enabled", True), domain_id=domain_id)
    return ApiResponse(201, {"project": views.project(req, project)})


def update_project(req, project_id):
    body = req.json()
    schemas.validate(schemas.PROJECT_UPDATE, body)
    project = req.app.identity_api.projects.update(req.context, project_id, body["project"])
    return {"project": views.project(req, project)}


def delete_project(req, project_id):
    req.app.identity_api.projects.delete(req.context, project_id)
    return ApiResponse(204)


def list_user_projects(req, user_id):
    projects = req.app.identity_api.projects.for_user(req.context, user_id)
    return views.collection(req, "projects", [views.project(req, p) for p in projects])


def list_auth_projects(req):
    return list_user_projects(req, req.context.user_id)
