"""os-getConsoleOutput (the console log)."""

import re

from novalite.api.compute.schemas import console_output as console_schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse

# Control characters but tab and newline are dropped, as Nova does.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f]")


def get_console_output(req, server_id, body):
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


# The deprecated console actions (2.1-2.5): action -> (protocol, its console types).
_LEGACY = {"os-getVNCConsole": ("vnc", ("novnc", "xvpvnc")),
           "os-getSPICEConsole": ("spice", ("spice-html5",)),
           "os-getRDPConsole": ("rdp", ("rdp-html5",)),
           "os-getSerialConsole": ("serial", ("serial",))}


def legacy_console(action):
    protocol, types = _LEGACY[action]
    schema = {"type": "object",
              "properties": {action: {"type": "object",
                                      "properties": {"type": {"type": "string",
                                                              "enum": list(types)}},
                                      "required": ["type"], "additionalProperties": False}},
              "required": [action], "additionalProperties": False}

    def handler(req, server_id, body):
        if req.version.matches(2, 6):  # replaced by POST /servers/{id}/remote-consoles
            raise HTTPError(404, "The resource could not be found.")
        validate(schema, body)
        console_type = body[action]["type"]
        url = req.app.compute_api.get_remote_console(req.context, server_id, protocol,
                                                     console_type)
        return ApiResponse(200, {"console": {"type": console_type, "url": url}})

    return handler
