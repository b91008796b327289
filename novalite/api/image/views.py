"""Glance v2 JSON: the image object and the small JSON schemas clients may fetch."""

from novalite.api.compute.server_view import isotime
from novalite.image import api as image_api


def image_view(image) -> dict:
    """A Glance v2 image: custom properties are top-level keys."""
    out = {key: value for key, value in (image.properties or {}).items()}
    out.update({
        "id": image.id, "name": image.name, "status": image.status,
        "visibility": image.visibility, "protected": bool(image.protected),
        "os_hidden": image.os_hidden, "checksum": image.checksum,
        "os_hash_algo": image.os_hash_algo, "os_hash_value": image.os_hash_value,
        "owner": image.owner, "size": image.size,
        "virtual_size": image.virtual_size,
        "min_disk": image.min_disk, "min_ram": image.min_ram,
        "disk_format": image.disk_format, "container_format": image.container_format,
        "created_at": isotime(image.created_at), "updated_at": isotime(image.updated_at),
        "tags": list(image.tags), "self": "/v2/images/" + image.id,
        "file": "/v2/images/%s/file" % image.id, "schema": "/v2/schemas/image",
    })
    return out


def _nullable(kind):
    return {"type": [kind, "null"]}


def image_schema() -> dict:
    return {
        "name": "image",
        "additionalProperties": {"type": "string"},
        "properties": {
            "id": {"type": "string", "pattern": "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-"
                   "([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$"},
            "name": {**_nullable("string"), "maxLength": 255},
            "status": {"type": "string", "readOnly": True,
                       "enum": ["queued", "saving", "active", "killed", "deleted",
                                "pending_delete", "deactivated", "uploading", "importing"]},
            "visibility": {"type": "string", "enum": list(image_api.VISIBILITIES)},
            "protected": {"type": "boolean"},
            "os_hidden": {"type": "boolean"},
            "checksum": {**_nullable("string"), "readOnly": True, "maxLength": 32},
            "os_hash_algo": {**_nullable("string"), "readOnly": True, "maxLength": 64},
            "os_hash_value": {**_nullable("string"), "readOnly": True, "maxLength": 128},
            "owner": {**_nullable("string"), "maxLength": 255},
            "size": {**_nullable("integer"), "readOnly": True},
            "virtual_size": {**_nullable("integer"), "readOnly": True},
            "min_disk": {"type": "integer"},
            "min_ram": {"type": "integer"},
            "disk_format": {"enum": [None, *image_api.DISK_FORMATS]},
            "container_format": {"enum": [None, *image_api.CONTAINER_FORMATS]},
            "created_at": {"type": "string", "readOnly": True},
            "updated_at": {"type": "string", "readOnly": True},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 255}},
            "self": {"type": "string", "readOnly": True},
            "file": {"type": "string", "readOnly": True},
            "schema": {"type": "string", "readOnly": True},
        },
        "links": [{"rel": "self", "href": "{self}"}, {"rel": "enclosure", "href": "{file}"},
                  {"rel": "describedby", "href": "{schema}"}],
    }


def images_schema() -> dict:
    return {
        "name": "images",
        "properties": {
            "images": {"type": "array", "items": image_schema()},
            "schema": {"type": "string"}, "first": {"type": "string"},
            "next": {"type": "string"},
        },
        "links": [{"rel": "first", "href": "{first}"}, {"rel": "next", "href": "{next}"},
                  {"rel": "describedby", "href": "{schema}"}],
    }


def member_view(member) -> dict:
    return {"image_id": member.image_id, "member_id": member.member_id,
            "status": member.status, "created_at": isotime(member.created_at),
            "updated_at": isotime(member.updated_at), "schema": "/v2/schemas/member"}


def member_schema() -> dict:
    return {"name": "member", "properties": {
        "image_id": {"type": "string"}, "member_id": {"type": "string"},
        "status": {"type": "string", "enum": ["pending", "accepted", "rejected"]},
        "created_at": {"type": "string"}, "updated_at": {"type": "string"},
        "schema": {"type": "string", "readOnly": True}}}


def members_schema() -> dict:
    return {"name": "members", "properties": {
        "members": {"type": "array", "items": member_schema()}, "schema": {"type": "string"}},
        "links": [{"rel": "describedby", "href": "{schema}"}]}
