from oslo_policy import policy

from novalite.policies.base import SERVICE_OR_ADMIN

RULES = [
    policy.DocumentedRuleDefault("os_compute_api:os-server-external-events:create",
                                 SERVICE_OR_ADMIN, "Create one or more external events.",
                                 [{"path": "/os-server-external-events", "method": "POST"}]),
]


def list_rules():
    return RULES
