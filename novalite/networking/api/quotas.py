"""/v2.0/quotas: list (administrators), show, update, reset, defaults and details."""

from novalite.networking import exceptions


def list_quotas(req):
    return 200, {"quotas": req.app.service.quotas.list(req.context)}


def show_quota(req, project_id):
    return 200, {"quota": req.app.service.quotas.show(req.context, project_id)}


def show_default(req, project_id):
    req.app.service.quotas.show(req.context, project_id)  # the same rule
    return 200, {"quota": req.app.service.quotas.defaults()}


def show_details(req, project_id):
    return 200, {"quota": req.app.service.quotas.details(req.context, project_id)}


def update_quota(req, project_id):
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("quota"), dict):
        raise exceptions.HTTPBadRequest(message="Unable to find 'quota' in request body")
    return 200, {"quota": req.app.service.quotas.update(req.context, project_id,
                                                         body["quota"])}


def reset_quota(req, project_id):
    req.app.service.quotas.reset(req.context, project_id)
    return 204, None
