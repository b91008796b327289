"""lock (locked_reason from 2.73) and unlock."""

from novalite.api.compute.schemas import server_actions as schemas
from novalite.api.compute.validation import validate


def lock(req, server_id, body):
    reason = None
    if req.version.matches(2, 73):
        validate(schemas.LOCK_V273, body)
        reason = (body["lock"] or {}).get("locked_reason")
    req.app.compute_api.lock(req.context, server_id, reason=reason)


def unlock(req, server_id, body):
    req.app.compute_api.unlock(req.context, server_id)
