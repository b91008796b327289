"""/images/{id}/metadata[/{key}]: Nova's deprecated image-metadata proxy (gone from
microversion 2.39, as in Nova)."""

from novalite.api.compute.schemas import image_metadata as schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse


def _api(req):
    if req.version.matches(2, 39):
        raise HTTPError(404, "The resource could not be found.")
    return req.app.compute_api.image_metadata


def list_metadata(req, image_id):
    return {"metadata": _api(req).get(req.context, image_id)}


def update_metadata(req, image_id):
    """POST merges the given keys into the image's metadata."""
    api = _api(req)
    body = req.json()
    validate(schemas.METADATA, body)
    return {"metadata": api.update(req.context, image_id, body["metadata"])}


def replace_metadata(req, image_id):
    """PUT makes the image's metadata exactly the body's."""
    api = _api(req)
    body = req.json()
    validate(schemas.METADATA, body)
    return {"metadata": api.update(req.context, image_id, body["metadata"], replace=True)}


def show_metadata_item(req, image_id, key):
    return {"meta": {key: _api(req).get_item(req.context, image_id, key)}}


def set_metadata_item(req, image_id, key):
    api = _api(req)
    body = req.json()
    validate(schemas.META_ITEM, body)
    if key not in body["meta"]:
        raise HTTPError(400, "Request body and URI mismatch")
    api.update(req.context, image_id, body["meta"])
    return {"meta": {key: body["meta"][key]}}


def delete_metadata_item(req, image_id, key):
    _api(req).delete_item(req.context, image_id, key)
    return ApiResponse(204)
