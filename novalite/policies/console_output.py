from oslo_policy import policy

from novalite.policies.base import PROJECT_MEMBER_OR_ADMIN

RULES = [
    policy.DocumentedRuleDefault(
        "os_compute_api:os-console-output", PROJECT_MEMBER_OR_ADMIN,
        "Show a server's console output.",
        [{"path": "/servers/{server_id}/action (os-getConsoleOutput)", "method": "POST"}]),
]


def list_rules():
    return RULES
