"""reboot, os-stop, os-start, pause, unpause, suspend, resume, trigger_crash_dump."""

from novalite.api.compute.schemas import server_actions as schemas
from novalite.api.compute.schemas import servers as server_schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError


def reboot(req, server_id, body):
    validate(server_schemas.REBOOT, body)
    req.app.compute_api.reboot(req.context, server_id, body["reboot"]["type"].upper())


def stop(req, server_id, body):
    req.app.compute_api.stop(req.context, server_id)  # the value is null (or anything)


def start(req, server_id, body):
    req.app.compute_api.start(req.context, server_id)


def pause(req, server_id, body):
    req.app.compute_api.pause(req.context, server_id)


def unpause(req, server_id, body):
    req.app.compute_api.unpause(req.context, server_id)


def suspend(req, server_id, body):
    req.app.compute_api.suspend(req.context, server_id)


def resume(req, server_id, body):
    req.app.compute_api.resume(req.context, server_id)


def trigger_crash_dump(req, server_id, body):
    if not req.version.matches(2, 17):
        raise HTTPError(404, "The resource could not be found.")  # an action of 2.17+
    validate(schemas.TRIGGER_CRASH_DUMP, body)
    req.app.compute_api.trigger_crash_dump(req.context, server_id)
