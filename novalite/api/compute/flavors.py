"""/flavors: list, detail, show; create, update (description), delete; extra specs."""

from novalite.api.compute import params
from novalite.api.compute.schemas import flavors as schemas
from novalite.api.compute.validation import to_bool, validate
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse
from novalite.objects.flavor import Flavor


def _basic(req, flavor) -> dict:
    out = {"id": flavor.flavorid, "name": flavor.name,
           "links": req.links("flavors", flavor.flavorid)}
    if req.version.matches(2, 55):
        out["description"] = flavor.description
    return out


def _detail(req, flavor) -> dict:
    v = req.version
    out = _basic(req, flavor)
    out.update({"ram": flavor.memory_mb, "disk": flavor.root_gb, "vcpus": flavor.vcpus,
                "swap": flavor.swap if (flavor.swap or v.matches(2, 75)) else "",
                "OS-FLV-EXT-DATA:ephemeral": flavor.ephemeral_gb,
                "os-flavor-access:is_public": flavor.is_public,
                "OS-FLV-DISABLED:disabled": flavor.disabled,
                "rxtx_factor": flavor.rxtx_factor})
    if v.matches(2, 61):
        out["extra_specs"] = dict(flavor.extra_specs)
    return out


def _is_public(req):
    raw = req.query.get("is_public")
    if raw is None:
        return True
    if raw.strip().lower() == "none":
        return None  # all flavors (admin)
    return params.strict_bool("is_public", raw)


def _list(req, view):
    limit, marker = params.limit_and_marker(req)
    kwargs = {}
    for key, column in (("minRam", "min_memory_mb"), ("minDisk", "min_root_gb")):
        if req.query.get(key) is not None:
            try:
                kwargs[column] = int(req.query[key])
            except ValueError:
                raise HTTPError(400, "Invalid %s filter [%s]" % (key, req.query[key])) from None
    sort_key = req.query.get("sort_key", "flavorid")
    sort_dir = req.query.get("sort_dir", "asc")
    if sort_dir not in ("asc", "desc"):
        raise HTTPError(400, "Invalid sort_dir %s" % sort_dir)
    flavors = req.app.compute_api.flavors.list(
        req.context, is_public=_is_public(req), limit=limit, marker=marker,
        sort_key=sort_key, sort_dir=sort_dir, **kwargs)
    collection = "flavors/detail" if view is _detail else "flavors"
    out = {"flavors": [view(req, f) for f in flavors]}
    links = params.next_links(req, collection, flavors, limit, lambda f: f.flavorid)
    if links:
        out["flavors_links"] = links
    return out


def list_flavors(req):
    return _list(req, _basic)


def list_flavors_detail(req):
    return _list(req, _detail)


def show_flavor(req, flavor_id):
    return {"flavor": _detail(req, req.app.compute_api.flavors.get(req.context, flavor_id))}


def create_flavor(req):
    body = req.json()
    validate(schemas.create_schema(req.version), body)
    f = body["flavor"]
    flavor = Flavor(flavorid=str(f["id"]) if f.get("id") is not None else "",
                    name=f["name"].strip(), vcpus=int(f["vcpus"]), memory_mb=int(f["ram"]),
                    root_gb=int(f["disk"]),
                    ephemeral_gb=int(f.get("OS-FLV-EXT-DATA:ephemeral", 0)),
                    swap=int(f.get("swap") or 0), rxtx_factor=float(f.get("rxtx_factor", 1.0)),
                    is_public=to_bool(f.get("os-flavor-access:is_public", True)),
                    description=f.get("description"))
    flavor = req.app.compute_api.flavors.create(req.context, flavor)
    return {"flavor": _detail(req, flavor)}


def update_flavor(req, flavor_id):
    if not req.version.matches(2, 55):
        raise HTTPError(404, "The resource could not be found.")
    body = req.json()
    validate(schemas.UPDATE, body)
    flavor = req.app.compute_api.flavors.update_description(
        req.context, flavor_id, body["flavor"]["description"])
    return {"flavor": _detail(req, flavor)}


def delete_flavor(req, flavor_id):
    req.app.compute_api.flavors.delete(req.context, flavor_id)
    return ApiResponse(202)


def list_extra_specs(req, flavor_id):
    return {"extra_specs": dict(req.app.compute_api.flavors.get(req.context,
                                                                 flavor_id).extra_specs)}


def create_extra_specs(req, flavor_id):
    body = req.json()
    validate(schemas.EXTRA_SPECS, body)
    wanted = {k: str(v) for k, v in body["extra_specs"].items()}
    specs = req.app.compute_api.flavors.set_extra_specs(req.context, flavor_id, wanted)
    return {"extra_specs": {k: specs[k] for k in wanted}}


def show_extra_spec(req, flavor_id, key):
    specs = req.app.compute_api.flavors.get(req.context, flavor_id).extra_specs
    if key not in specs:
        raise HTTPError(404, "Flavor %s has no extra specs with key %s." % (flavor_id, key))
    return {key: specs[key]}


def update_extra_spec(req, flavor_id, key):
    body = req.json()
    validate(schemas.EXTRA_SPEC_ONE, body)
    if key not in body:
        raise HTTPError(400, "Request body and URI mismatch")
    wanted = {k: str(v) for k, v in body.items()}
    req.app.compute_api.flavors.set_extra_specs(req.context, flavor_id, wanted)
    return wanted


def delete_extra_spec(req, flavor_id, key):
    req.app.compute_api.flavors.delete_extra_spec(req.context, flavor_id, key)
    return ApiResponse(200)  # 200 with no body, unlike the flavor delete's 202
