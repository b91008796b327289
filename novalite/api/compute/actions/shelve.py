"""shelve, shelveOffload and unshelve (2.77 availability_zone, 2.91 host)."""

from novalite import exception
from novalite.api.compute.schemas import server_actions as schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError


def shelve(req, server_id, body):
    validate(schemas.SHELVE, body)
    req.app.compute_api.shelve(req.context, server_id)


def shelve_offload(req, server_id, body):
    validate(schemas.SHELVE_OFFLOAD, body)
    req.app.compute_api.shelve_offload(req.context, server_id)


def unshelve(req, server_id, body):
    if req.version.matches(2, 91):
        validate(schemas.UNSHELVE_V291, body)
    elif req.version.matches(2, 77):
        validate(schemas.UNSHELVE_V277, body)
    else:
        validate(schemas.UNSHELVE, body)
    fields = body["unshelve"] if isinstance(body["unshelve"], dict) else {}
    options = {}
    if req.version.matches(2, 77) and "availability_zone" in fields:
        options["availability_zone"] = fields["availability_zone"]
    if req.version.matches(2, 91) and fields.get("host"):
        options["host"] = fields["host"]
    try:
        req.app.compute_api.unshelve(req.context, server_id, **options)
    except exception.ComputeHostNotFound as e:
        raise HTTPError(400, e.message) from e  # a bad request here, as Nova answers
