"""/os-server-external-events: other services (the network service, block storage) report
events about servers, as Nova's server_external_events.py. A service API: policy allows
the service role or an administrator.

The answer lists the events as sent, each with its `code` and `status`: 200 'completed'
when it was delivered to the server's host, else 'failed' with 404 (no such server), 422
(the server is on no host) or 400 (a tag the event needs is missing). The response is 200
when all were delivered, else 207 (even when none was: Nova's fix of bug 1855752 ended the
old 404 for that)."""

from novalite.api.compute.schemas import server_external_events as schemas
from novalite.api.compute.validation import validate
from novalite.api.request import ApiResponse
from novalite.objects import external_event

_CODES = {external_event.ACCEPTED: 200, external_event.UNKNOWN_INSTANCE: 404,
          external_event.NO_HOST: 422, external_event.MISSING_TAG: 400}


def create_server_external_events(req):
    body = req.json()
    validate(schemas.create_schema(req.version), body)
    sent = body["events"]
    reported = [external_event.InstanceExternalEvent(
        instance_uuid=e["server_uuid"], name=e["name"], status=e.get("status", "completed"),
        tag=e.get("tag")) for e in sent]
    outcomes = req.app.compute_api.external_instance_event(req.context, reported)
    # Each event as sent, with its code; its status now says whether it was delivered.
    answered = [{**e, "code": _CODES[outcome],
                 "status": "completed" if outcome == external_event.ACCEPTED else "failed"}
                for e, outcome in zip(sent, outcomes, strict=True)]
    status = 200 if all(e["code"] == 200 for e in answered) else 207
    return ApiResponse(status, {"events": answered})
