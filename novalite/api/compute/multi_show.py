"""POST /servers/multi_show: many servers in one call and one database round trip (a
novalite extension, from the design Nova users built). Each element is exactly what
GET /servers/{id} returns, shaped by the same view code.

It was first registered as a member action, so /servers/{anything}/multi_show works too:
the path id is ignored.
"""

from novalite.api.compute import params, server_view, servers
from novalite.api.compute.schemas.multi_show import MULTI_SHOW
from novalite.api.compute.validation import to_bool, validate
from novalite.api.faults import HTTPError


def multi_show(req, server_id=None):
    body = req.json()
    validate(MULTI_SHOW, body)
    ids = body["servers"]
    limit = req.app.conf.api.multi_show_max_servers
    if len(ids) > limit:
        raise HTTPError(400, "At most %d servers may be shown in one multi_show request; "
                        "%d were asked for." % (limit, len(ids)))
    for value in ids:
        if not isinstance(value, str) or not servers.valid_uuid(value):
            raise HTTPError(400, "Invalid server id %r: not a UUID." % value)
    all_tenants = to_bool(body.get("all_tenants", False))
    if req.query.get("all_tenants") is not None:
        all_tenants = all_tenants or params.strict_bool("all_tenants",
                                                        req.query["all_tenants"])
    ignore_missing = to_bool(body.get("ignore_missing", False))
    # Unknown ids and other projects' ids alike: one 404 naming them (InstancesNotFound).
    instances, missing = req.app.compute_api.get_many(
        req.context, ids, all_tenants=all_tenants, ignore_missing=ignore_missing)
    view = servers.view_context(req, instances)
    out = {"server_info": [server_view.show(view, i) for i in instances]}
    if ignore_missing:
        out["not_found"] = missing
    return out
