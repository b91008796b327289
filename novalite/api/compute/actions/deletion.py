"""forceDelete and restore (Nova's deferred delete)."""


def force_delete(req, server_id, body):
    req.app.compute_api.force_delete(req.context, server_id)


def restore(req, server_id, body):
    req.app.compute_api.restore(req.context, server_id)
