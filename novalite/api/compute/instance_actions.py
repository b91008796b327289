"""/servers/{id}/os-instance-actions: what was done to a server, with events."""

from novalite import policy
from novalite.api.compute.server_view import isotime


def _action(req, action) -> dict:
    out = {"action": action.action, "instance_uuid": action.instance_uuid,
           "request_id": action.request_id, "user_id": action.user_id,
           "project_id": action.project_id, "start_time": isotime(action.start_time),
           "message": action.message}
    if req.version.matches(2, 58):
        out["updated_at"] = isotime(action.updated_at)
    return out


def list_instance_actions(req, server_id):
    actions = req.app.compute_api.actions(req.context, server_id)
    return {"instanceActions": [_action(req, a) for a in actions]}


def show_instance_action(req, server_id, request_id):
    action = req.app.compute_api.action(req.context, server_id, request_id)
    out = _action(req, action)
    show_details = policy.check(req.context, "os_compute_api:os-instance-actions:events:details",
                                {"project_id": action.project_id})
    events = []
    for event in action.events:
        item = {"event": event.event, "start_time": isotime(event.start_time),
                "finish_time": isotime(event.finish_time), "result": event.result}
        if show_details:
            item["traceback"] = event.traceback
            if req.version.matches(2, 62):
                item["host"] = event.host
        events.append(item)
    out["events"] = events
    return {"instanceAction": out}
