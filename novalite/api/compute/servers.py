"""/servers: create, list, detail, show, update, delete."""

import base64
import ipaddress
import re
import secrets
import uuid

from novalite import exception, policy
from novalite.api.compute import params, server_view
from novalite.api.compute.schemas import servers as schemas
from novalite.api.compute.status import states_from_status
from novalite.api.compute.validation import to_bool, validate
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse

_SORT_KEY_ALIASES = {"name": "display_name", "description": "display_description",
                     "display_name": "display_name", "tenant_id": "project_id"}


def canonical_ip(value: str | None) -> str | None:
    """The address in its canonical form, as Nova stores it ('0:0::1' -> '::1')."""
    return str(ipaddress.ip_address(value)) if value else value


def valid_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _requested_networks(req, server: dict):
    networks = server.get("networks")
    if networks is None or networks == []:
        return None  # before 2.37: the one network available, if any (no auto-allocation)
    return networks


def _image_from_bdm(server: dict) -> str | None:
    """OSC sends a local image BDM next to imageRef; anything needing volumes is refused."""
    image_ref = server.get("imageRef") or None
    for bdm in server.get("block_device_mapping_v2") or []:
        if bdm.get("source_type") == "image" and bdm.get("destination_type", "local") == "local":
            image_ref = image_ref or bdm.get("uuid")
            if bdm.get("uuid") != image_ref:
                raise HTTPError(400, "Block device mapping image %s does not match imageRef"
                                % bdm.get("uuid"))
            continue
        raise HTTPError(400, "Block device mappings other than a local image are not "
                        "supported: novalite has no volume service.")
    return image_ref


def create_server(req):
    body = req.json()
    validate(schemas.create_schema(req.version), body)
    server = body["server"]
    image_ref = _image_from_bdm(server)
    if not image_ref:
        raise HTTPError(400, "Missing imageRef attribute: booting from volume is not "
                        "supported.")
    if not valid_uuid(image_ref):
        raise HTTPError(400, "Invalid imageRef provided.")
    min_count = int(server.get("min_count", 1))
    max_count = int(server.get("max_count", min_count))
    if min_count > max_count:
        raise HTTPError(400, "min_count must be <= max_count")
    groups = server.get("security_groups") or []
    user_data = server.get("user_data")
    if user_data is not None:
        base64.b64decode(user_data)  # validated by the schema already
    tags = server.get("tags") or []
    try:
        instances, reservation_id = req.app.compute_api.create(
            req.context, name=server["name"], flavor_id=str(server["flavorRef"]),
            image_ref=image_ref, min_count=min_count, max_count=max_count,
            availability_zone=server.get("availability_zone"),
            metadata=server.get("metadata"), requested_networks=_requested_networks(req, server),
            key_name=server.get("key_name"), user_data=user_data,
            description=server.get("description"),
            access_ip_v4=canonical_ip(server.get("accessIPv4")),
            access_ip_v6=canonical_ip(server.get("accessIPv6")),
            config_drive=to_bool(server.get("config_drive", False)),
            hostname=server.get("hostname"), tags=tags,
            security_groups=[g["name"] for g in groups if g.get("name")])
    except exception.FlavorNotFound as e:
        raise HTTPError(400, "Flavor %s could not be found." % server["flavorRef"]) from e
    except exception.ImageNotFound as e:
        # Nova's text; a missing kernel or ramdisk image of a found image is named.
        detail = "" if e.kwargs.get("image_id") in (None, image_ref) else ": " + e.message
        raise HTTPError(400, "Can not find requested image" + detail) from e
    if to_bool(server.get("return_reservation_id", False)):
        return ApiResponse(202, {"reservation_id": reservation_id})
    first = instances[0]
    out = {"id": first.uuid, "links": req.links("servers", first.uuid),
           "OS-DCF:diskConfig": server.get("OS-DCF:diskConfig", "MANUAL"),
           "security_groups": groups or [{"name": "default"}]}
    if req.app.conf.api.enable_instance_password:
        out["adminPass"] = server.get("adminPass") or secrets.token_urlsafe(9)
    return ApiResponse(202, {"server": out},
                       headers={"location": req.url("servers", first.uuid)})


class _NothingMatches(Exception):
    """A filter value no server can have: the answer is an empty list."""


def _name_regex(value: str, key: str = "name") -> str:
    # The database (or the address filter) runs it; a broken one is the client's error.
    try:
        re.compile(value)
    except re.error as e:
        raise HTTPError(400, "Invalid %s filter %r: %s" % (key, value, e)) from None
    return value


def _filters(req) -> tuple[dict, list, list]:
    q = req.query
    ctxt = req.context
    filters: dict = {}
    all_tenants = q.get("all_tenants")
    if all_tenants is not None and params.strict_bool("all_tenants", all_tenants):
        ctxt.can("os_compute_api:servers:index:get_all_tenants")
        filters["all_tenants"] = True
    if q.get("name"):
        filters["name"] = _name_regex(q["name"])
    if q.getlist("status"):
        vm_states, task_states = states_from_status(q.getlist("status"))
        if not vm_states:
            if req.version.matches(2, 38):
                raise HTTPError(400, "Invalid status value: %s" % ", ".join(q.getlist("status")))
            raise _NothingMatches()  # before 2.38 an unknown status is an empty list
        filters["vm_state"] = vm_states
        if task_states is not None:
            filters["task_state"] = task_states
        if vm_states == ["deleted"]:
            if not policy.check(ctxt, "os_compute_api:servers:allow_all_filters"):
                raise HTTPError(403, "Only administrators may list deleted instances")
            filters["deleted"] = True
    for key in ("image", "flavor", "reservation_id", "availability_zone", "key_name",
                "user_id"):
        if q.get(key):
            filters[key] = q[key]
    # Regular expressions over the servers' fixed addresses (ip6 for all from 2.5).
    for key in ("ip", "ip6"):
        if q.get(key) and (key == "ip" or req.version.matches(2, 5) or policy.check(
                ctxt, "os_compute_api:servers:allow_all_filters")):
            filters[key] = _name_regex(q[key], key)
    for key in ("changes-since", "changes-before"):
        if q.get(key):
            filters[key] = params.iso_datetime(key, q[key])
    since, before = filters.get("changes-since"), filters.get("changes-before")
    if since and before and since > before:
        raise HTTPError(400, "The value of changes-since must be less than or equal to "
                        "changes-before.")
    if q.get("locked") is not None:
        filters["locked"] = params.strict_bool("locked", q["locked"])
    if policy.check(ctxt, "os_compute_api:servers:allow_all_filters"):
        for key in ("host", "node"):
            if q.get(key):
                filters[key] = q[key]
        if q.get("deleted") is not None and params.strict_bool("deleted", q["deleted"]):
            filters["deleted"] = True
        project = q.get("project_id") or q.get("tenant_id")
        if project and filters.get("all_tenants"):
            filters["project_id"] = project
        if q.getlist("vm_state"):
            filters["vm_state"] = q.getlist("vm_state")
    sort_keys = [_SORT_KEY_ALIASES.get(k, k) for k in q.getlist("sort_key")]
    sort_dirs = q.getlist("sort_dir")
    for direction in sort_dirs:
        if direction not in ("asc", "desc"):
            raise HTTPError(400, "Invalid sort_dir %s" % direction)
    if sort_keys:
        sort_dirs = (sort_dirs + [sort_dirs[-1] if sort_dirs else "desc"] * len(sort_keys))
        sort_dirs = sort_dirs[:len(sort_keys)]
    return filters, sort_keys, sort_dirs


def _list(req, detail: bool):
    limit, marker = params.limit_and_marker(req)
    try:
        filters, sort_keys, sort_dirs = _filters(req)
    except _NothingMatches:
        return {"servers": []}
    instances = req.app.compute_api.list(req.context, filters, limit=limit, marker=marker,
                                         sort_keys=sort_keys or None,
                                         sort_dirs=sort_dirs or None, with_faults=detail)
    collection = "servers/detail" if detail else "servers"
    if detail:
        view = view_context(req, instances)
        servers = [server_view.show(view, i, detail_list=True) for i in instances]
    else:
        servers = [server_view.basic(req, i) for i in instances]
    out = {"servers": servers}
    links = params.next_links(req, collection, instances, limit, lambda i: i.uuid)
    if links:
        out["servers_links"] = links
    return out


def view_context(req, instances) -> server_view.ServerViewContext:
    host_statuses = None
    if req.version.matches(2, 16) and policy.check(
            req.context, "os_compute_api:servers:show:host_status",
            {"project_id": req.context.project_id}):
        hosts = {i.host for i in instances if i.host}
        host_statuses = req.app.compute_api.hosts.host_statuses(hosts) if hosts else {}
    return server_view.ServerViewContext(req, host_statuses)


def list_servers(req):
    return _list(req, detail=False)


def list_servers_detail(req):
    return _list(req, detail=True)


def show_server(req, server_id):
    instance = req.app.compute_api.get(req.context, server_id)
    return {"server": server_view.show(view_context(req, [instance]), instance)}


def update_server(req, server_id):
    body = req.json()
    validate(schemas.update_schema(req.version), body)
    fields = body["server"]
    values = {}
    for wire, column in (("name", "display_name"), ("description", "display_description"),
                         ("accessIPv4", "access_ip_v4"), ("accessIPv6", "access_ip_v6"),
                         ("hostname", "hostname")):
        if wire in fields:
            values[column] = fields[wire]
    for column in ("access_ip_v4", "access_ip_v6"):
        if column in values:
            values[column] = canonical_ip(values[column])
    instance = req.app.compute_api.update(req.context, server_id, values)
    return {"server": server_view.show(view_context(req, [instance]), instance, brief=True)}


def delete_server(req, server_id):
    req.app.compute_api.delete(req.context, server_id)
    return ApiResponse(204)
