"""/os-keypairs: list, create or import, show, delete. Key pairs belong to users; from 2.10
an administrator may name another user with user_id (in the body or the query)."""

import string

from novalite.api.compute import params
from novalite.api.compute.schemas import keypairs as schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse
from novalite.objects.keypair import KEYPAIR_TYPE_SSH

_NAME_CHARS = "_- " + string.digits + string.ascii_letters
_NAME_CHARS_V292 = "@._- " + string.digits + string.ascii_letters


def _check_name(req, name: str) -> None:
    allowed = _NAME_CHARS_V292 if req.version.matches(2, 92) else _NAME_CHARS
    if any(c not in allowed for c in name):
        raise HTTPError(400, "An invalid 'name' value was provided. The name must be: Only "
                        "expected characters: [%s]" % allowed)


def _user_id(req) -> str:
    """Whose key pairs: ?user_id= from 2.10 (its first value, as Nova), else the caller's."""
    given = req.query.getlist("user_id") if req.version.matches(2, 10) else []
    return (given[0] if given else None) or req.context.user_id


def _view(req, keypair, **extra) -> dict:
    out = {"name": keypair.name, "public_key": keypair.public_key,
           "fingerprint": keypair.fingerprint}
    if req.version.matches(2, 2):
        out["type"] = keypair.type
    out.update(extra)
    return out


def list_keypairs(req):
    params.reject_nul(req)
    paged = req.version.matches(2, 35)
    params.check_known(req, {"user_id", "limit", "marker"})
    limit, marker = params.limit_and_marker(req) if paged else (None, None)
    keypairs = req.app.compute_api.keypairs.list(req.context, _user_id(req), limit=limit,
                                                 marker=marker)
    out = {"keypairs": [{"keypair": _view(req, k)} for k in keypairs]}
    if paged:
        links = params.next_links(req, "os-keypairs", keypairs, limit, lambda k: k.name)
        if links:
            out["keypairs_links"] = links
    return out


def create_keypair(req):
    body = req.json()
    validate(schemas.create_schema(req.version), body)
    fields = body["keypair"]
    _check_name(req, fields["name"])
    params.reject_nul(req, fields.get("user_id"))
    api = req.app.compute_api.keypairs
    user_id = fields.get("user_id") or req.context.user_id
    key_type = fields.get("type", KEYPAIR_TYPE_SSH)
    if "public_key" in fields:
        keypair = api.import_key_pair(req.context, user_id, fields["name"],
                                      fields["public_key"], key_type)
        out = _view(req, keypair, user_id=keypair.user_id)
    else:  # only before 2.92 (the schema requires public_key from then on)
        keypair, private_key = api.create_key_pair(req.context, user_id, fields["name"],
                                                   key_type)
        out = _view(req, keypair, user_id=keypair.user_id, private_key=private_key)
    return ApiResponse(201 if req.version.matches(2, 2) else 200, {"keypair": out})


def show_keypair(req, keypair_name):
    params.reject_nul(req, keypair_name)
    params.check_known(req, {"user_id"})
    keypair = req.app.compute_api.keypairs.get(req.context, _user_id(req), keypair_name)
    created = keypair.created_at.strftime("%Y-%m-%dT%H:%M:%S.%f") \
        if keypair.created_at else None
    updated = keypair.updated_at.strftime("%Y-%m-%dT%H:%M:%S.%f") \
        if keypair.updated_at else None
    # Rows are removed on delete, so deleted/deleted_at are constant (Nova's shape).
    return {"keypair": _view(req, keypair, user_id=keypair.user_id, id=keypair.id,
                             created_at=created, updated_at=updated, deleted=False,
                             deleted_at=None)}


def delete_keypair(req, keypair_name):
    params.reject_nul(req, keypair_name)
    params.check_known(req, {"user_id"})
    req.app.compute_api.keypairs.delete(req.context, _user_id(req), keypair_name)
    return ApiResponse(204 if req.version.matches(2, 2) else 202)
