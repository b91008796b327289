"""POST /servers/{id}/action: one handler per action name."""

import re

from novalite.api.compute import snapshots
from novalite.api.compute.schemas import console_output as console_schemas
from novalite.api.compute.schemas import servers as schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse


def _reboot(req, server_id, body):
    validate(schemas.REBOOT, body)
    req.app.compute_api.reboot(req.context, server_id, body["reboot"]["type"].upper())


def _stop(req, server_id, body):
    req.app.compute_api.stop(req.context, server_id)  # the value is null (or anything)


def _start(req, server_id, body):
    req.app.compute_api.start(req.context, server_id)


# Control characters but tab and newline are dropped, as Nova does.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f]")


def _get_console_output(req, server_id, body):
    validate(console_schemas.GET_CONSOLE_OUTPUT, body)
    length = body["os-getConsoleOutput"].get("length")
    if length is not None:  # the schema's minimum does not apply to "-5"
        length = int(length)
        if length < -1:
            raise HTTPError(400, "Invalid input for field/attribute length. Value: %s. "
                            "%s is less than the minimum of -1" % (length, length))
        if length == -1:  # -1, like null, means every line
            length = None
    output = req.app.compute_api.get_console_output(req.context, server_id, length)
    return ApiResponse(200, {"output": _UNPRINTABLE.sub("", output)})


ACTIONS = {
    "reboot": _reboot,
    "os-stop": _stop,
    "os-start": _start,
    "createImage": snapshots.create_image,
    "createBackup": snapshots.create_backup,
    "os-getConsoleOutput": _get_console_output,
}


def server_action(req, server_id):
    body = req.json()
    if not isinstance(body, dict) or len(body) != 1:
        raise HTTPError(400, "There is either no action or more than one in the request body")
    name = next(iter(body))
    handler = ACTIONS.get(name)
    if handler is None:
        raise HTTPError(400, "There is no such action: %s" % name)
    response = handler(req, server_id, body)
    return response if response is not None else ApiResponse(202)
