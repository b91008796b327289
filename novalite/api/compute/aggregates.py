"""/os-aggregates: host aggregates (admin), their hosts and metadata; from 2.81 the
images action that pre-caches images on the aggregate's hosts."""

from novalite.api.compute.schemas import aggregates as schemas
from novalite.api.compute.validation import validate, validate_action
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse


def _naive(value):
    return value.isoformat() if value else None


def _view(req, aggregate, created: bool = False) -> dict:
    out = {"id": aggregate.id, "name": aggregate.name,
           "availability_zone": aggregate.availability_zone,
           "created_at": _naive(aggregate.created_at),
           "updated_at": _naive(aggregate.updated_at), "deleted_at": None, "deleted": False}
    if not created:  # as Nova: the create response has neither hosts nor metadata
        out.update({"hosts": list(aggregate.hosts), "metadata": dict(aggregate.metadata)})
    if req.version.matches(2, 41):
        out["uuid"] = aggregate.uuid
    return out


def _id(aggregate_id) -> int:
    try:
        return int(aggregate_id)
    except ValueError:
        raise HTTPError(400, "Invalid aggregate id %s: must be an integer."
                        % aggregate_id) from None


def _api(req):
    return req.app.compute_api.aggregates


def list_aggregates(req):
    return {"aggregates": [_view(req, a) for a in _api(req).list(req.context)]}


def create_aggregate(req):
    body = req.json()
    validate(schemas.CREATE, body)
    args = body["aggregate"]
    aggregate = _api(req).create(req.context, args["name"].strip(),
                                 args.get("availability_zone"))
    return {"aggregate": _view(req, aggregate, created=True)}


def show_aggregate(req, aggregate_id):
    return {"aggregate": _view(req, _api(req).get(req.context, _id(aggregate_id)))}


def update_aggregate(req, aggregate_id):
    body = req.json()
    validate(schemas.UPDATE, body)
    args = body["aggregate"]
    aggregate = _api(req).update(req.context, _id(aggregate_id), name=args.get("name"),
                                 availability_zone=args.get("availability_zone"))
    return {"aggregate": _view(req, aggregate)}


def delete_aggregate(req, aggregate_id):
    _api(req).delete(req.context, _id(aggregate_id))
    return ApiResponse(200)


_ACTIONS = {
    "add_host": (schemas.ADD_HOST, lambda api, c, i, a: api.add_host(c, i, a["host"])),
    "remove_host": (schemas.REMOVE_HOST,
                    lambda api, c, i, a: api.remove_host(c, i, a["host"])),
    "set_metadata": (schemas.SET_METADATA,
                     lambda api, c, i, a: api.set_metadata(c, i, a["metadata"])),
}


def aggregate_action(req, aggregate_id):
    body = req.json()
    name = validate_action(_ACTIONS, body)
    do = _ACTIONS[name][1]
    aggregate = do(_api(req), req.context, _id(aggregate_id), body[name])
    return {"aggregate": _view(req, aggregate)}


def cache_images(req, aggregate_id):
    """2.81: pre-cache images on every host of the aggregate (202; the work is async)."""
    if not req.version.matches(2, 81):
        raise HTTPError(404, "The resource could not be found.")
    body = req.json()
    validate(schemas.CACHE_IMAGES, body)
    image_ids = list(dict.fromkeys(entry["id"] for entry in body["cache"]))
    req.app.compute_api.predistribution.cache_aggregate_images(
        req.context, _id(aggregate_id), image_ids)
    return ApiResponse(202)
