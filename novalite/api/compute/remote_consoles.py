"""POST /servers/{id}/remote-consoles (2.6; mks 2.8) and GET /os-console-auth-tokens/{token}
(an administrator's; before 2.31 only RDP tokens could be shown, as Nova)."""

from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError

_PROTOCOLS = ["vnc", "spice", "rdp", "serial"]
_TYPES = ["novnc", "xvpvnc", "rdp-html5", "spice-html5", "serial"]


def _schema(version) -> dict:
    protocols, types = list(_PROTOCOLS), list(_TYPES)
    if version.matches(2, 8):
        protocols.append("mks")
        types.append("webmks")
    if version.matches(2, 99):
        types.append("spice-direct")
    return {"type": "object",
            "properties": {"remote_console": {
                "type": "object",
                "properties": {"protocol": {"type": "string", "enum": protocols},
                               "type": {"type": "string", "enum": types}},
                "required": ["protocol", "type"], "additionalProperties": False}},
            "required": ["remote_console"], "additionalProperties": False}


def create_remote_console(req, server_id):
    if not req.version.matches(2, 6):
        raise HTTPError(404, "The resource could not be found.")
    body = req.json()
    validate(_schema(req.version), body)
    fields = body["remote_console"]
    url = req.app.compute_api.get_remote_console(req.context, server_id, fields["protocol"],
                                                 fields["type"])
    return {"remote_console": {"protocol": fields["protocol"], "type": fields["type"],
                               "url": url}}


def show_console_auth_token(req, console_token):
    connection = req.app.compute_api.console_auth_token(req.context, console_token)
    if not req.version.matches(2, 31) and connection.console_type != "rdp-html5":
        raise HTTPError(400, "The requested console type details are not accessible")
    return {"console": {"instance_uuid": connection.instance_uuid, "host": connection.host,
                        "port": connection.port,
                        "internal_access_path": connection.internal_access_path}}
