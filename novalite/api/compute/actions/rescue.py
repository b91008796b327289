"""rescue / unrescue. rescue answers 200 with the rescue system's admin password (Nova
kept 200 rather than 202 for compatibility); unrescue is the usual empty 202."""

import secrets

from novalite.api.compute.schemas import server_actions as schemas
from novalite.api.compute.validation import validate
from novalite.api.request import ApiResponse


def rescue(req, server_id, body):
    validate(schemas.RESCUE, body)
    fields = body["rescue"] or {}
    password = fields.get("adminPass") or secrets.token_urlsafe(9)
    req.app.compute_api.rescue(req.context, server_id, password,
                               rescue_image_ref=fields.get("rescue_image_ref"),
                               allow_bfv_rescue=req.version.matches(2, 87))
    if req.app.conf.api.enable_instance_password:
        return ApiResponse(200, {"adminPass": password})
    return ApiResponse(200, {})


def unrescue(req, server_id, body):
    validate(schemas.UNRESCUE, body)
    req.app.compute_api.unrescue(req.context, server_id)
