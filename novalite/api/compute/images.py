"""/images: Nova's deprecated image proxy (gone from microversion 2.36, as in Nova)."""

from novalite.api.compute import params
from novalite.api.compute.server_view import isotime
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse

_STATUS = {"active": "ACTIVE", "queued": "SAVING", "saving": "SAVING",
           "importing": "SAVING", "uploading": "SAVING", "deleted": "DELETED",
           "pending_delete": "DELETED", "killed": "ERROR", "deactivated": "ERROR"}


def _check_version(req):
    if req.version.matches(2, 36):
        raise HTTPError(404, "The resource could not be found.")


def _basic(req, image) -> dict:
    return {"id": image.id, "name": image.name, "links": _links(req, image)}


def _links(req, image):
    return req.links("images", image.id) + [
        {"rel": "alternate", "type": "application/vnd.openstack.image",
         "href": req.base_url.rsplit(":", 1)[0] + ":9292/images/" + image.id}]


def _detail(req, image) -> dict:
    status = _STATUS.get(image.status, "UNKNOWN")
    out = {**_basic(req, image), "status": status,
           "minDisk": image.min_disk, "minRam": image.min_ram,
           "progress": {"ACTIVE": 100, "SAVING": 25}.get(status, 0),
           "created": isotime(image.created_at), "updated": isotime(image.updated_at),
           "metadata": dict(image.properties), "OS-EXT-IMG-SIZE:size": image.size}
    return out


def _list(req, view, collection):
    _check_version(req)
    limit, marker = params.limit_and_marker(req)
    filters = {k: req.query[k] for k in ("name", "status", "minDisk", "minRam")
               if req.query.get(k)}
    if "status" in filters:  # the Image API's statuses are lower case
        filters["status"] = filters["status"].lower()
    # As Nova: server (an id or a server's link) and type are image properties.
    properties = {}
    if req.query.get("server"):
        properties["instance_uuid"] = req.query["server"].rstrip("/").rsplit("/", 1)[-1]
    if req.query.get("type"):
        properties["image_type"] = req.query["type"]
    if properties:
        filters["properties"] = properties
    for key in ("minDisk", "minRam"):
        if key in filters and not filters[key].isdigit():
            raise HTTPError(400, "Invalid %s filter [%s]" % (key, filters[key]))
    images = req.app.compute_api.images.list(req.context, filters, limit, marker)
    out = {"images": [view(req, i) for i in images]}
    links = params.next_links(req, collection, images, limit, lambda i: i.id)
    if links:
        out["images_links"] = links
    return out


def list_images(req):
    return _list(req, _basic, "images")


def list_images_detail(req):
    return _list(req, _detail, "images/detail")


def show_image(req, image_id):
    _check_version(req)
    return {"image": _detail(req, req.app.compute_api.images.get(req.context, image_id))}


def delete_image(req, image_id):
    _check_version(req)
    req.app.compute_api.images.delete(req.context, image_id)
    return ApiResponse(204)
