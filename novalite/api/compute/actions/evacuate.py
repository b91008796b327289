"""evacuate (admin): the adminPass answer until 2.14, an empty 200 after; force 2.29-2.67;
2.95 leaves the evacuated server stopped."""

import secrets

from novalite import exception
from novalite.api.compute.params import strict_bool
from novalite.api.compute.schemas.server_actions import evacuate_schema
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse


def evacuate(req, server_id, body):
    validate(evacuate_schema(req.version), body)
    fields = body["evacuate"]
    host = fields.get("host")
    force = strict_bool("force", str(fields.get("force", False)))
    if force and not host:
        raise HTTPError(400, "Can't force to a non-provided destination")
    if not req.version.matches(2, 14) and fields.get("adminPass") and \
            strict_bool("onSharedStorage", str(fields["onSharedStorage"])):
        raise HTTPError(400, "admin password can't be changed on existing disk")
    password = fields.get("adminPass") or secrets.token_urlsafe(9)
    try:
        req.app.compute_api.evacuate(
            req.context, server_id, host, force=force,
            target_state="stopped" if req.version.matches(2, 95) else None)
    except exception.ComputeHostNotFound as e:
        raise HTTPError(404, "Compute host %s not found." % host) from e
    if not req.version.matches(2, 14) and req.app.conf.api.enable_instance_password:
        return ApiResponse(200, {"adminPass": password})
    return ApiResponse(200)
