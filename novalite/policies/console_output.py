from oslo_policy import policy

from novalite.policies.base import ADMIN, PROJECT_MEMBER_OR_ADMIN

RULES = [
    policy.DocumentedRuleDefault(
        "os_compute_api:os-console-output", PROJECT_MEMBER_OR_ADMIN,
        "Show a server's console output.",
        [{"path": "/servers/{server_id}/action (os-getConsoleOutput)", "method": "POST"}]),
    policy.DocumentedRuleDefault(
        "os_compute_api:os-remote-consoles", PROJECT_MEMBER_OR_ADMIN,
        "Get a remote console URL of a server.",
        [{"path": "/servers/{server_id}/remote-consoles", "method": "POST"},
         {"path": "/servers/{server_id}/action (os-getVNCConsole)", "method": "POST"},
         {"path": "/servers/{server_id}/action (os-getSerialConsole)", "method": "POST"}]),
    policy.DocumentedRuleDefault(
        "os_compute_api:os-console-auth-tokens", ADMIN,
        "Show what a console token connects to.",
        [{"path": "/os-console-auth-tokens/{console_token}", "method": "GET"}]),
]


def list_rules():
    return RULES
