"""os-resetState, injectNetworkInfo, and resetNetwork (removed from Nova: 410)."""

from novalite.api.compute.schemas import server_actions as schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError


def reset_state(req, server_id, body):
    validate(schemas.RESET_STATE, body)
    req.app.compute_api.reset_state(req.context, server_id, body["os-resetState"]["state"])


def inject_network_info(req, server_id, body):
    req.app.compute_api.inject_network_info(req.context, server_id)


def reset_network(req, server_id, body):
    # Nova removed it with nova-network (23.0.0) and answers 410 Gone at every version.
    raise HTTPError(410, "This resource is no longer available.")
