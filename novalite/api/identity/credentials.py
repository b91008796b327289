"""/v3/users/{user_id}/credentials/OS-EC2: a user's EC2 access/secret pairs (Keystone's
OS-EC2 extension, what `openstack ec2 credentials create|list|show|delete` call)."""

from novalite.api.identity import schemas, views
from novalite.api.request import ApiResponse
from novalite.identity.ec2_credentials import EC2CredentialAPI

CREATE = {
    "type": "object",
    "properties": {"tenant_id": {"type": "string", "minLength": 1, "maxLength": 64},
                   "project_id": {"type": "string", "minLength": 1, "maxLength": 64}},
    "anyOf": [{"required": ["tenant_id"]}, {"required": ["project_id"]}],
}


def _api(req) -> EC2CredentialAPI:
    return EC2CredentialAPI(req.app.identity_api)


def _view(req, credential) -> dict:
    # Keystone still says tenant_id here, and clients read it.
    return {"access": credential.access, "secret": credential.secret,
            "user_id": credential.user_id, "tenant_id": credential.project_id,
            "trust_id": None,
            "links": {"self": req.url("users", credential.user_id, "credentials", "OS-EC2",
                                      credential.access)}}


def list_ec2_credentials(req, user_id):
    credentials = _api(req).list(req.context, user_id)
    return views.collection(req, "credentials", [_view(req, c) for c in credentials])


def create_ec2_credential(req, user_id):
    body = req.json()
    schemas.validate(CREATE, body)
    credential = _api(req).create(req.context, user_id,
                                  body.get("tenant_id") or body["project_id"])
    return ApiResponse(201, {"credential": _view(req, credential)})


def show_ec2_credential(req, user_id, access):
    return {"credential": _view(req, _api(req).get(req.context, user_id, access))}


def delete_ec2_credential(req, user_id, access):
    _api(req).delete(req.context, user_id, access)
    return ApiResponse(204)
