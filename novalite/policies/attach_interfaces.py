"""os-interface, as Nova's policies/attach_interfaces.py: a project's readers list and show
its servers' interfaces, its members attach and detach them."""

from oslo_policy import policy

from novalite.policies.base import PROJECT_MEMBER_OR_ADMIN, PROJECT_READER_OR_ADMIN

POLICY_ROOT = "os_compute_api:os-attach-interfaces:%s"
_PATH = "/servers/{server_id}/os-interface"

RULES = [
    policy.DocumentedRuleDefault(POLICY_ROOT % "list", PROJECT_READER_OR_ADMIN,
                                 "List the port interfaces of a server.",
                                 [{"path": _PATH, "method": "GET"}]),
    policy.DocumentedRuleDefault(POLICY_ROOT % "show", PROJECT_READER_OR_ADMIN,
                                 "Show a port interface of a server.",
                                 [{"path": _PATH + "/{port_id}", "method": "GET"}]),
    policy.DocumentedRuleDefault(POLICY_ROOT % "create", PROJECT_MEMBER_OR_ADMIN,
                                 "Attach a port interface to a server.",
                                 [{"path": _PATH, "method": "POST"}]),
    policy.DocumentedRuleDefault(POLICY_ROOT % "delete", PROJECT_MEMBER_OR_ADMIN,
                                 "Detach a port interface from a server.",
                                 [{"path": _PATH + "/{port_id}", "method": "DELETE"}]),
]


def list_rules():
    return RULES
