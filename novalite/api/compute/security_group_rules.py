"""/os-security-group-rules: add an ingress rule to a security group (a CIDR or a source
group, a protocol tcp/udp/icmp and its ports or ICMP type and code), or remove one, as Nova's
SecurityGroupRulesController. Up to 2.35 (404 from 2.36)."""

from novalite.api.compute.network_proxy import network
from novalite.api.compute.schemas import security_groups as schemas
from novalite.api.compute.validation import validate
from novalite.api.request import ApiResponse

_RULE = "os_compute_api:os-security-groups:rule:%s"


def create_security_group_rule(req):
    proxy = network(req, _RULE % "create")
    body = req.json()
    validate(schemas.CREATE_RULE, body)
    rule = body["security_group_rule"]
    return {"security_group_rule": proxy.create_security_group_rule(
        req.context, rule["parent_group_id"], rule.get("group_id"), rule.get("ip_protocol"),
        rule.get("from_port"), rule.get("to_port"), rule.get("cidr"))}


def delete_security_group_rule(req, rule_id):
    proxy = network(req, _RULE % "delete")
    proxy.delete_security_group_rule(req.context, rule_id)
    return ApiResponse(202)
