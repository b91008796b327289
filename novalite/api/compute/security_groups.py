"""/os-security-groups: a project's security groups in Nova's legacy shape (id, name,
description, tenant_id, ingress rules), as Nova's SecurityGroupController forwards them to
Neutron. Up to 2.35 (404 from 2.36)."""

from novalite.api.compute.network_proxy import network
from novalite.api.compute.schemas import security_groups as schemas
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse

_RULE = "os_compute_api:os-security-groups:%s"


def _non_negative(req, name: str) -> int | None:
    raw = req.query.get(name)
    if raw is None:
        return None
    if not raw.isdigit():
        raise HTTPError(400, "Invalid input for query parameters %s. Value: %s. '%s' does "
                        "not match '^[0-9]*$'" % (name, raw, raw))
    return int(raw)


def list_security_groups(req):
    proxy = network(req, _RULE % "get")
    limit, offset = _non_negative(req, "limit"), _non_negative(req, "offset") or 0
    groups = proxy.list_security_groups(req.context, "all_tenants" in req.query)
    max_limit = req.app.conf.api.max_limit
    limit = max_limit if limit is None else min(limit, max_limit)  # Nova's common.limited
    groups = groups[offset:offset + limit]
    return {"security_groups": sorted(groups, key=lambda g: (g["tenant_id"], g["name"]))}


def show_security_group(req, group_id):
    proxy = network(req, _RULE % "show")
    return {"security_group": proxy.get_security_group(req.context, group_id)}


def create_security_group(req):
    proxy = network(req, _RULE % "create")
    body = req.json()
    validate(schemas.CREATE, body)
    fields = body["security_group"]
    return {"security_group": proxy.create_security_group(
        req.context, fields["name"], fields["description"])}


def update_security_group(req, group_id):
    proxy = network(req, _RULE % "update")
    body = req.json()
    validate(schemas.UPDATE, body)
    fields = body["security_group"]
    return {"security_group": proxy.update_security_group(
        req.context, group_id, fields["name"], fields["description"])}


def delete_security_group(req, group_id):
    proxy = network(req, _RULE % "delete")
    proxy.delete_security_group(req.context, group_id)
    return ApiResponse(202)
