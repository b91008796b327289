"""/servers/{id}/os-instance-actions: what was done to a server, with events."""

from novalite import policy
from novalite.api.compute.server_view import host_id, isotime


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
    target = {"project_id": action.project_id}
    # Events: administrators always, with traceback and host (2.62); the project from 2.51
    # without them; the failure's message from 2.84 (policy events:details), as in Nova.
    admin_view = policy.check(req.context, "os_compute_api:os-instance-actions:events", target)
    if not admin_view and not req.version.matches(2, 51):
        return {"instanceAction": out}
    show_details = req.version.matches(2, 84) and policy.check(
        req.context, "os_compute_api:os-instance-actions:events:details", target)
    events = []
    for event in action.events:
        item = {"event": event.event, "start_time": isotime(event.start_time),
                "finish_time": isotime(event.finish_time), "result": event.result}
        if admin_view:
            item["traceback"] = event.traceback
            if req.version.matches(2, 62):
                item["host"] = event.host
        if req.version.matches(2, 62):
            item["hostId"] = host_id(action.project_id, event.host)
        if show_details:
            item["details"] = event.details
        events.append(item)
    out["events"] = events
    return {"instanceAction": out}
