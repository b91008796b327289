"""changePassword: 202 once the guest has the new password."""

from novalite.api.compute.schemas import server_actions as schemas
from novalite.api.compute.validation import validate


def change_password(req, server_id, body):
    validate(schemas.CHANGE_PASSWORD, body)
    req.app.compute_api.set_admin_password(req.context, server_id,
                                           body["changePassword"]["adminPass"])
