"""/v2.0/auto-allocated-topology/{project_id}: show (made on the first request; with
`fields=dry-run` only checked) and delete."""

from novalite.networking.auto_allocate import DRY_RUN


def show_topology(req, project_id):
    fields = [f for value in req.query.getlist("fields") for f in value.split(",") if f]
    if DRY_RUN in fields:
        fields = [DRY_RUN]
    return 200, {"auto_allocated_topology": req.app.service.auto_allocate.get(
        req.context, project_id, fields)}


def delete_topology(req, project_id):
    req.app.service.auto_allocate.delete(req.context, project_id)
    return 204, None
