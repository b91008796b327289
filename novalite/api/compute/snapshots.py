"""Server disks into images: Nova's createImage and createBackup actions, and
POST /servers/{id}/backup_instance (a novalite extension: a quick backup into an image).

All three ride one compute API call (ComputeAPI.snapshot) and one host-side upload.
"""

from novalite.api.compute.schemas import snapshots as schemas
from novalite.api.compute.validation import validate
from novalite.api.request import ApiResponse


def _image_response(req, image_id: str) -> ApiResponse:
    # From 2.45 the id is in the body and the Location header is gone (as Nova).
    if req.version.matches(2, 45):
        return ApiResponse(202, {"image_id": image_id})
    return ApiResponse(202, headers={"location": req.url("images", image_id,
                                                         versioned=False)})


def create_image(req, server_id, body):
    validate(schemas.CREATE_IMAGE, body)
    args = body["createImage"]
    image = req.app.compute_api.snapshot(
        req.context, server_id, args["name"], extra_properties=args.get("metadata"))
    return _image_response(req, image.id)


def create_backup(req, server_id, body):
    validate(schemas.CREATE_BACKUP, body)
    args = body["createBackup"]
    image = req.app.compute_api.snapshot(
        req.context, server_id, args["name"], image_type="backup", action="createBackup",
        policy_rule="os_compute_api:os-create-backup", backup_type=args["backup_type"],
        rotation=int(args["rotation"]), extra_properties=args.get("metadata"))
    return _image_response(req, image.id)


def backup_instance(req, server_id):
    body = req.json()
    validate(schemas.BACKUP_INSTANCE, body)
    image = req.app.compute_api.snapshot(
        req.context, server_id, body["name"], image_type="backup", action="backup_instance",
        policy_rule="os_compute_api:servers:backup_instance",
        description=body.get("description"))
    return ApiResponse(202, {"id": image.id})
