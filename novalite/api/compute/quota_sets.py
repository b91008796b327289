"""/os-quota-sets/{project_id}: show (and /detail with usage), /defaults, update, delete.
Which keys appear depends on the microversion: nova-network's go at 2.36, the injected-file
ones at 2.57."""

from novalite.api.compute import params
from novalite.api.compute.schemas import quota_sets as schemas
from novalite.api.compute.validation import to_bool, validate
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse


def _hidden(req) -> set[str]:
    hidden = set()
    if req.version.matches(2, 36):
        hidden.update(schemas.NETWORK_KEYS)
    if req.version.matches(2, 57):
        hidden.update(schemas.INJECTED_FILE_KEYS)
    return hidden


def _quota_set(req, values: dict, project_id: str | None = None) -> dict:
    hidden = _hidden(req)
    out = {"id": project_id} if project_id is not None else {}
    out.update({k: v for k, v in values.items() if k not in hidden})
    return {"quota_set": out}


def _check_project(req, project_id: str) -> None:
    params.reject_nul(req, project_id)
    if len(project_id) > 255:  # longer than any project id can be (and than the columns)
        raise HTTPError(400, "Project ID %s is not a valid project." % project_id)


def _user_id(req) -> str | None:
    params.check_known(req, {"user_id"})
    given = req.query.getlist("user_id")
    return given[0] if given else None


def _refuse_user_quotas(req) -> None:
    if _user_id(req):
        raise HTTPError(400, "Per-user quotas are not supported: novalite's quotas are per "
                        "project.")


def show_quota_set(req, project_id):
    _check_project(req, project_id)
    _user_id(req)  # a user's limits are the project's: there are no per-user limits
    limits, _ = req.app.compute_api.quotas.show(req.context, project_id)
    return _quota_set(req, limits, project_id)


def show_quota_set_detail(req, project_id):
    _check_project(req, project_id)
    limits, used = req.app.compute_api.quotas.show(req.context, project_id, _user_id(req),
                                                   detail=True)
    # Nothing is reserved any more (usage is counted), but the field stays, as in Nova.
    return _quota_set(req, {k: {"limit": v, "in_use": used.get(k, 0), "reserved": 0}
                            for k, v in limits.items()}, project_id)


def show_quota_set_defaults(req, project_id):
    _check_project(req, project_id)
    return _quota_set(req, req.app.compute_api.quotas.defaults(req.context, project_id),
                      project_id)


def _limits(body: dict) -> dict[str, int]:
    values = {}
    for key, value in body.items():
        if key == "force":
            continue
        number = int(value)
        if not -1 <= number <= schemas.MAX_LIMIT:  # a string got past minimum/maximum
            raise HTTPError(400, "Invalid input for field/attribute quota_set/%s. Value: %s. "
                            "Quota limits must be integers from -1 (unlimited) to %d."
                            % (key, value, schemas.MAX_LIMIT))
        values[key] = number
    return values


def update_quota_set(req, project_id):
    _check_project(req, project_id)
    _refuse_user_quotas(req)
    body = req.json()
    validate(schemas.update_schema(req.version), body)
    quota_set = body["quota_set"]
    if "networks" in quota_set:
        raise HTTPError(400, "The networks quota has been removed")
    limits = req.app.compute_api.quotas.update(
        req.context, project_id, _limits(quota_set),
        force=to_bool(quota_set.get("force", False)))
    return _quota_set(req, limits)  # no "id" in an update's answer (as Nova)


def delete_quota_set(req, project_id):
    _check_project(req, project_id)
    _refuse_user_quotas(req)
    req.app.compute_api.quotas.reset(req.context, project_id)
    return ApiResponse(202)
