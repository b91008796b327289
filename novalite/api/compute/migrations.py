"""GET /os-migrations, and a server's live migrations in progress:
GET /servers/{id}/migrations[/{migration_id}] (2.23), force_complete (2.22) and abort
(DELETE, 2.24). Shapes per microversion as Nova's: migration_type and links 2.23, uuid
and paging 2.59, changes-before 2.66, user_id/project_id 2.80."""

from novalite import exception
from novalite.api.compute import params
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse

_FILTERS_V20 = ("hidden", "host", "instance_uuid", "source_compute", "status",
                "migration_type")


def _time(value):
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f") if value else None


def _view(req, migration, show_hosts=True) -> dict:
    hosts = {key: getattr(migration, key) if show_hosts else None
             for key in ("dest_compute", "dest_host", "dest_node", "source_compute",
                         "source_node")}
    out = {"id": migration.id, "instance_uuid": migration.instance_uuid,
           "status": migration.status, **hosts,
           "old_instance_type_id": migration.old_flavor.id if migration.old_flavor else None,
           "new_instance_type_id": migration.new_flavor.id if migration.new_flavor else None,
           "created_at": _time(migration.created_at),
           "updated_at": _time(migration.updated_at)}
    if req.version.matches(2, 23):
        out["migration_type"] = migration.migration_type
        if migration.migration_type == "live-migration" and migration.status in (
                "queued", "preparing", "running", "post-migrating"):
            out["links"] = req.links("servers", migration.instance_uuid, "migrations",
                                     migration.id)
    if req.version.matches(2, 59):
        out["uuid"] = migration.uuid
    if req.version.matches(2, 80):
        out["user_id"], out["project_id"] = migration.user_id, migration.project_id
    return out


def list_migrations(req):
    allowed = set(_FILTERS_V20)
    if req.version.matches(2, 59):
        allowed |= {"limit", "marker", "changes-since"}
        if req.version.matches(2, 66):
            allowed.add("changes-before")
        if req.version.matches(2, 80):
            allowed |= {"user_id", "project_id"}
        unknown = sorted(set(req.query.keys()) - allowed)
        if unknown:  # from 2.59 Nova's schema refuses what it does not know
            raise HTTPError(400, "Additional properties are not allowed (%s %s "
                            "unexpected)" % (", ".join(repr(u) for u in unknown),
                                             "was" if len(unknown) == 1 else "were"))
    params.reject_nul(req)
    filters = {key: req.query.get(key) for key in allowed - {"limit", "marker",
                                                             "changes-since",
                                                             "changes-before", "hidden"}
               if req.query.get(key) is not None}
    if "hidden" in req.query and params.strict_bool("hidden", req.query["hidden"]):
        return {"migrations": []}  # novalite hides no migration
    limit = marker = since = before = None
    if req.version.matches(2, 59):
        if "limit" in req.query or "marker" in req.query:
            limit, marker = params.limit_and_marker(req)
        if req.query.get("changes-since"):
            since = params.iso_datetime("changes-since", req.query["changes-since"])
        if req.query.get("changes-before"):
            before = params.iso_datetime("changes-before", req.query["changes-before"])
        if since and before and before < since:
            raise HTTPError(400, "The value of changes-since must be less than or equal "
                                 "to changes-before.")
    try:
        migrations, show_hosts = req.app.compute_api.list_migrations(
            req.context, filters, limit=limit, marker=marker, changes_since=since,
            changes_before=before)
    except exception.MarkerNotFound as e:
        raise HTTPError(400, e.message) from e
    out = {"migrations": [_view(req, m, show_hosts) for m in migrations]}
    if req.version.matches(2, 59) and limit is not None:
        links = params.next_links(req, "os-migrations", migrations, limit, lambda m: m.uuid)
        if links:
            out["migrations_links"] = links
    return out


def _server_view(req, migration) -> dict:
    out = {"id": migration.id, "server_uuid": migration.instance_uuid,
           "status": migration.status, "source_compute": migration.source_compute,
           "source_node": migration.source_node, "dest_compute": migration.dest_compute,
           "dest_node": migration.dest_node, "dest_host": migration.dest_host,
           "created_at": _time(migration.created_at),
           "updated_at": _time(migration.updated_at)}
    for kind in ("memory", "disk"):
        for part in ("total", "processed", "remaining"):
            out["%s_%s_bytes" % (kind, part)] = getattr(migration, "%s_%s" % (kind, part))
    if req.version.matches(2, 59):
        out["uuid"] = migration.uuid
    if req.version.matches(2, 80):
        out["user_id"], out["project_id"] = migration.user_id, migration.project_id
    return out


def _since(req, minor):
    if not req.version.matches(2, minor):
        raise HTTPError(404, "The resource could not be found.")


def _migration_id(value) -> int:
    try:
        return int(value)
    except ValueError:
        raise HTTPError(400, "Invalid migration id %s" % value) from None


def list_server_migrations(req, server_id):
    _since(req, 23)
    migrations = req.app.compute_api.server_migrations(req.context, server_id)
    return {"migrations": [_server_view(req, m) for m in migrations]}


def show_server_migration(req, server_id, migration_id):
    _since(req, 23)
    _, migration = req.app.compute_api.server_migration(req.context, server_id,
                                                        _migration_id(migration_id))
    return {"migration": _server_view(req, migration)}


def server_migration_action(req, server_id, migration_id):
    _since(req, 22)
    body = req.json()
    if not isinstance(body, dict) or list(body) != ["force_complete"] or \
            body["force_complete"] is not None:
        raise HTTPError(400, "Invalid input for field/attribute: the body must be "
                             "{\"force_complete\": null}")
    req.app.compute_api.live_migrate_force_complete(req.context, server_id,
                                                    _migration_id(migration_id))
    return ApiResponse(202)


def abort_server_migration(req, server_id, migration_id):
    _since(req, 24)
    req.app.compute_api.live_migrate_abort(req.context, server_id,
                                           _migration_id(migration_id))
    return ApiResponse(202)
