"""add/removeSecurityGroup (every version) and add/removeFixedIp, add/removeFloatingIp
(removed in 2.44: a 404 after, as Nova's unrouted versions)."""

from novalite.api.compute.schemas import server_actions as schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError


def _before_2_44(req):
    if req.version.matches(2, 44):
        raise HTTPError(404, "The resource could not be found.")


def add_security_group(req, server_id, body):
    validate(schemas.ADD_SECURITY_GROUP, body)
    req.app.compute_api.add_security_group(req.context, server_id,
                                           body["addSecurityGroup"]["name"])


def remove_security_group(req, server_id, body):
    validate(schemas.REMOVE_SECURITY_GROUP, body)
    req.app.compute_api.remove_security_group(req.context, server_id,
                                              body["removeSecurityGroup"]["name"])


def add_fixed_ip(req, server_id, body):
    _before_2_44(req)
    validate(schemas.ADD_FIXED_IP, body)
    req.app.compute_api.add_fixed_ip(req.context, server_id,
                                     str(body["addFixedIp"]["networkId"]))


def remove_fixed_ip(req, server_id, body):
    _before_2_44(req)
    validate(schemas.REMOVE_FIXED_IP, body)
    req.app.compute_api.remove_fixed_ip(req.context, server_id,
                                        body["removeFixedIp"]["address"])


def add_floating_ip(req, server_id, body):
    _before_2_44(req)
    validate(schemas.ADD_FLOATING_IP, body)
    fields = body["addFloatingIp"]
    req.app.compute_api.add_floating_ip(req.context, server_id, fields["address"],
                                        fields.get("fixed_address"))


def remove_floating_ip(req, server_id, body):
    _before_2_44(req)
    validate(schemas.REMOVE_FLOATING_IP, body)
    req.app.compute_api.remove_floating_ip(req.context, server_id,
                                           body["removeFloatingIp"]["address"])
