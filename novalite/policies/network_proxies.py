"""Nova's deprecated network proxy APIs' rules, Nova's names and defaults: a project's
readers list and show, its members create, change and delete; anyone lists the floating IP
pools. (The server-side security group rules are in server_actions.py.)"""

from oslo_policy import policy

from novalite.policies.base import ANY, PROJECT_MEMBER_OR_ADMIN, PROJECT_READER_OR_ADMIN


def _rule(name, check, description, path, method):
    return policy.DocumentedRuleDefault(name, check, description,
                                        [{"path": path, "method": method}])


_SG = "os_compute_api:os-security-groups:%s"
_FIP = "os_compute_api:os-floating-ips:%s"

RULES = [
    _rule(_SG % "get", PROJECT_READER_OR_ADMIN, "List the project's security groups.",
          "/os-security-groups", "GET"),
    _rule(_SG % "show", PROJECT_READER_OR_ADMIN, "Show a security group.",
          "/os-security-groups/{security_group_id}", "GET"),
    _rule(_SG % "create", PROJECT_MEMBER_OR_ADMIN, "Create a security group.",
          "/os-security-groups", "POST"),
    _rule(_SG % "update", PROJECT_MEMBER_OR_ADMIN, "Update a security group.",
          "/os-security-groups/{security_group_id}", "PUT"),
    _rule(_SG % "delete", PROJECT_MEMBER_OR_ADMIN, "Delete a security group.",
          "/os-security-groups/{security_group_id}", "DELETE"),
    _rule(_SG % "rule:create", PROJECT_MEMBER_OR_ADMIN, "Add a rule to a security group.",
          "/os-security-group-rules", "POST"),
    _rule(_SG % "rule:delete", PROJECT_MEMBER_OR_ADMIN,
          "Remove a rule from a security group.",
          "/os-security-group-rules/{security_group_id}", "DELETE"),
    _rule(_FIP % "list", PROJECT_READER_OR_ADMIN, "List the project's floating IPs.",
          "/os-floating-ips", "GET"),
    _rule(_FIP % "create", PROJECT_MEMBER_OR_ADMIN, "Allocate a floating IP.",
          "/os-floating-ips", "POST"),
    _rule(_FIP % "show", PROJECT_READER_OR_ADMIN, "Show a floating IP.",
          "/os-floating-ips/{floating_ip_id}", "GET"),
    _rule(_FIP % "delete", PROJECT_MEMBER_OR_ADMIN, "Release a floating IP.",
          "/os-floating-ips/{floating_ip_id}", "DELETE"),
    _rule("os_compute_api:os-floating-ip-pools", ANY, "List the floating IP pools.",
          "/os-floating-ip-pools", "GET"),
    _rule("os_compute_api:os-networks:list", PROJECT_READER_OR_ADMIN,
          "List the networks the project may use.", "/os-networks", "GET"),
    _rule("os_compute_api:os-networks:show", PROJECT_READER_OR_ADMIN, "Show a network.",
          "/os-networks/{network_id}", "GET"),
    _rule("os_compute_api:os-tenant-networks:list", PROJECT_READER_OR_ADMIN,
          "List the networks the project may use.", "/os-tenant-networks", "GET"),
    _rule("os_compute_api:os-tenant-networks:show", PROJECT_READER_OR_ADMIN,
          "Show a network.", "/os-tenant-networks/{network_id}", "GET"),
]


def list_rules():
    return RULES
