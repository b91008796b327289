"""rebuild: the server's disk made again from an image (the same or another), on the same
host; the answer is the server's view (brief before 2.75) with its new admin password."""

import secrets

from novalite import exception
from novalite.api.compute import server_view
from novalite.api.compute.schemas.rebuild import rebuild_schema
from novalite.api.compute.servers import canonical_ip, valid_uuid, view_context
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse

# wire name -> the compute API's keyword
_FIELDS = {"name": "name", "metadata": "metadata", "description": "description",
           "key_name": "key_name", "user_data": "user_data", "hostname": "hostname",
           "accessIPv4": "access_ip_v4", "accessIPv6": "access_ip_v6",
           "preserve_ephemeral": "preserve_ephemeral"}


def rebuild(req, server_id, body):
    validate(rebuild_schema(req.version), body)
    fields = body["rebuild"]
    image_ref = fields["imageRef"]
    if not valid_uuid(image_ref):
        raise HTTPError(400, "Invalid imageRef provided.")
    changes = {keyword: fields[wire] for wire, keyword in _FIELDS.items() if wire in fields}
    for key in ("access_ip_v4", "access_ip_v6"):
        if key in changes:
            changes[key] = canonical_ip(changes[key])
    try:
        instance = req.app.compute_api.rebuild(req.context, server_id, image_ref, **changes)
    except exception.ImageNotFound as e:
        raise HTTPError(400, "Cannot find requested image %s: %s" % (image_ref, e)) from e
    view = server_view.show(view_context(req, [instance]), instance,
                            brief=True)
    # Nova's rebuild answer shows what the rebuild may have changed: the key pair from
    # 2.54, the user data from 2.57.
    if req.version.matches(2, 54):
        view["key_name"] = instance.key_name
    if req.version.matches(2, 57):
        view["user_data"] = instance.user_data
        # ... in its place: 2.75's full view leaves the admin attribute out.
        view.pop("OS-EXT-SRV-ATTR:user_data", None)
    if req.app.conf.api.enable_instance_password:
        view["adminPass"] = fields.get("adminPass") or secrets.token_urlsafe(9)
    return ApiResponse(202, {"server": view})
