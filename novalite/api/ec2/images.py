"""DescribeImages: the images the caller may see, with ami-/aki-/ari- ids by type."""

from novalite import exception
from novalite.api.ec2 import errors, ids

_FILTERS = ("image-id", "image-type", "name", "state", "is-public", "owner-id",
            "architecture")
# Glance status -> EC2 image state
_STATES = {"active": "available", "queued": "pending", "saving": "pending",
           "importing": "pending", "uploading": "pending", "killed": "failed",
           "deactivated": "failed", "deleted": "deregistered",
           "pending_delete": "deregistered"}


def _view(image, ec2_id: str, kernel_ids: dict) -> dict:
    kind = ids.image_kind(image.container_format)
    props = image.properties or {}
    return {
        "imageId": ec2_id,
        "imageLocation": "/".join(filter(None, (image.owner, image.name or image.id))),
        "imageState": _STATES.get(image.status, "pending"),
        "imageOwnerId": image.owner or "",
        "creationDate": image.created_at,
        "isPublic": image.visibility in ("public", "community"),
        "architecture": props.get("architecture") or "x86_64",
        "imageType": ids.IMAGE_TYPES[kind],
        "kernelId": kernel_ids.get(props.get("kernel_id")),
        "ramdiskId": kernel_ids.get(props.get("ramdisk_id")),
        "name": image.name or "",
        "description": props.get("description"),
        "rootDeviceType": "instance-store",
        "rootDeviceName": props.get("root_device_name") or "/dev/vda",
        "blockDeviceMapping": [],
        "virtualizationType": "hvm",
        "hypervisor": "xen",
        "tagSet": [{"key": t, "value": ""} for t in image.tags or ()],
    }


def _filter_value(item: dict, image, name: str):
    return {"image-id": item["imageId"], "image-type": item["imageType"],
            "name": item["name"], "state": item["imageState"],
            "is-public": "true" if item["isPublic"] else "false",
            "owner-id": item["imageOwnerId"], "architecture": item["architecture"]}[name]


def describe_images(req):
    params = req.params
    filters = params.filters(_FILTERS)
    wanted = params.strings("ImageId")
    owners = params.strings("Owner")
    images_api = req.compute_api.images
    if wanted:
        found = []
        for ec2_id in dict.fromkeys(wanted):
            parsed = ids.parse_id(ec2_id)
            if parsed is None or parsed[0] not in ids.IMAGE_KINDS:
                raise errors.InvalidAMIIDMalformed("Invalid id: \"%s\"" % ec2_id[:64])
            found.append(_resolve(req, ec2_id, parsed[0]))
        images = found
    else:
        images = images_api.list(req.context)
    by_uuid = {i.id: i for i in images}
    references = {image.properties.get(k) for image in images
                  for k in ("kernel_id", "ramdisk_id")} - {None, ""}
    numbers = req.ids.image_numbers(list(by_uuid) + sorted(references))
    kernel_ids = {}
    for ref in references:
        kind = "aki" if any(i.properties.get("kernel_id") == ref for i in images) else "ari"
        if ref in numbers:
            kernel_ids[ref] = ids.format_id(kind, numbers[ref])
    items = []
    for image in images:
        ec2_id = ids.format_id(ids.image_kind(image.container_format), numbers[image.id])
        item = _view(image, ec2_id, kernel_ids)
        if owners and not any(_owner_matches(o, image, req.context) for o in owners):
            continue
        if all(_filter_value(item, image, n) in values for n, values in filters.items()):
            items.append(item)
    return {"imagesSet": items}


def _owner_matches(owner: str, image, ctxt) -> bool:
    if owner == "self":
        return image.owner == ctxt.project_id
    return owner == image.owner


def _resolve(req, ec2_id: str, prefix: str):
    found = req.ids.image_uuid(ec2_id)
    image = None
    if found is not None:
        try:
            image = req.compute_api.images.get(req.context, found[1])
        except exception.ImageNotFound:
            image = None
    if image is None or ids.image_kind(image.container_format) != prefix:
        raise errors.InvalidAMIIDNotFound("The image id '[%s]' does not exist" % ec2_id)
    return image
