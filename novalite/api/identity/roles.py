"""/v3/roles, grants (/v3/projects/{p}/users/{u}/roles[/{r}]) and /v3/role_assignments."""

from novalite.api.identity import params, schemas, views
from novalite.api.request import ApiResponse


def list_roles(req):
    roles = req.app.identity_api.roles.list(req.context, name=req.query.get("name"))
    return views.collection(req, "roles", [views.role(req, r) for r in roles])


def show_role(req, role_id):
    return {"role": views.role(req, req.app.identity_api.roles.get(req.context, role_id))}


def create_role(req):
    body = req.json()
    schemas.validate(schemas.ROLE_CREATE, body)
    role = req.app.identity_api.roles.create(req.context, body["role"]["name"],
                                             body["role"].get("description"))
    return ApiResponse(201, {"role": views.role(req, role)})


def delete_role(req, role_id):
    req.app.identity_api.roles.delete(req.context, role_id)
    return ApiResponse(204)


def list_grants(req, project_id, user_id):
    roles = req.app.identity_api.roles.list_grants(req.context, project_id, user_id)
    return views.collection(req, "roles", [views.role(req, r) for r in roles])


def grant(req, project_id, user_id, role_id):
    req.app.identity_api.roles.grant(req.context, project_id, user_id, role_id)
    return ApiResponse(204)


def check_grant(req, project_id, user_id, role_id):
    req.app.identity_api.roles.check(req.context, project_id, user_id, role_id)
    return ApiResponse(204)


def revoke_grant(req, project_id, user_id, role_id):
    req.app.identity_api.roles.revoke(req.context, project_id, user_id, role_id)
    return ApiResponse(204)


def list_role_assignments(req):
    q = req.query
    include_names = bool(params.flag(q, "include_names"))
    if any(k in q for k in ("group.id", "scope.domain.id", "scope.system")):
        assignments = []  # no groups, no domain or system assignments here
    else:
        assignments = req.app.identity_api.roles.assignments(
            req.context, user_id=q.get("user.id"), project_id=q.get("scope.project.id"),
            role_id=q.get("role.id"), effective=bool(params.flag(q, "effective")))
    return views.collection(req, "role_assignments",
                            [views.role_assignment(req, a, include_names)
                             for a in assignments])
