"""resize, confirmResize, revertResize and migrate (2.56 host): each an empty 202 once
the destination is chosen; the server then shows RESIZE and VERIFY_RESIZE."""

from novalite import exception
from novalite.api.compute.schemas import server_actions as schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse


def resize(req, server_id, body):
    validate(schemas.RESIZE, body)
    req.app.compute_api.resize(req.context, server_id, body["resize"]["flavorRef"])


def confirm_resize(req, server_id, body):
    req.app.compute_api.confirm_resize(req.context, server_id)
    return ApiResponse(204)  # Nova's answer for this one action


def revert_resize(req, server_id, body):
    req.app.compute_api.revert_resize(req.context, server_id)


def migrate(req, server_id, body):
    host = None
    if req.version.matches(2, 56):
        validate(schemas.MIGRATE_V256, body)
        host = (body["migrate"] or {}).get("host")
    try:
        req.app.compute_api.migrate(req.context, server_id, host=host)
    except exception.ComputeHostNotFound as e:
        raise HTTPError(400, e.message) from e  # a bad request here, as Nova answers
