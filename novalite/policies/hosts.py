from oslo_policy import policy

from novalite.policies.base import ADMIN

RULES = [
    policy.DocumentedRuleDefault("os_compute_api:os-services:list", ADMIN,
                                 "List compute services.",
                                 [{"path": "/os-services", "method": "GET"}]),
    policy.DocumentedRuleDefault("os_compute_api:os-services:update", ADMIN,
                                 "Enable, disable or force down a compute service.",
                                 [{"path": "/os-services/{service_id}", "method": "PUT"}]),
    policy.DocumentedRuleDefault("os_compute_api:os-hypervisors:list", ADMIN,
                                 "List and show hypervisors.",
                                 [{"path": "/os-hypervisors", "method": "GET"}]),
    policy.DocumentedRuleDefault("os_compute_api:os-hypervisors:search", ADMIN,
                                 "Search hypervisors by hostname.",
                                 [{"path": "/os-hypervisors/{pattern}/search",
                                   "method": "GET"}]),
    policy.DocumentedRuleDefault("os_compute_api:os-hypervisors:servers", ADMIN,
                                 "List the servers on hypervisors.",
                                 [{"path": "/os-hypervisors/{pattern}/servers",
                                   "method": "GET"}]),
    policy.DocumentedRuleDefault("os_compute_api:os-hypervisors:uptime", ADMIN,
                                 "Show a hypervisor's uptime.",
                                 [{"path": "/os-hypervisors/{id}/uptime", "method": "GET"}]),
    policy.DocumentedRuleDefault("os_compute_api:os-availability-zone:detail", ADMIN,
                                 "Availability zones with their hosts and services.",
                                 [{"path": "/os-availability-zone/detail", "method": "GET"}]),
]


def list_rules():
    return RULES
