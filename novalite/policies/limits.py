from oslo_policy import policy

from novalite.policies.base import ADMIN, ANY

RULES = [
    policy.DocumentedRuleDefault("os_compute_api:limits", ANY,
                                 "Show the limits and usage of the caller's project.",
                                 [{"path": "/limits", "method": "GET"}]),
    policy.DocumentedRuleDefault("os_compute_api:limits:other_project", ADMIN,
                                 "Show another project's limits (?tenant_id=); checked after "
                                 "os_compute_api:limits.",
                                 [{"path": "/limits", "method": "GET"}]),
]


def list_rules():
    return RULES
