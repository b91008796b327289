from oslo_policy import policy

from novalite.policies.base import ADMIN

RULES = [
    policy.DocumentedRuleDefault("os_compute_api:os-flavor-access", ADMIN,
                                 "List the projects that may use a private flavor.",
                                 [{"path": "/flavors/{flavor_id}/os-flavor-access",
                                   "method": "GET"}]),
    policy.DocumentedRuleDefault("os_compute_api:os-flavor-access:add_tenant_access", ADMIN,
                                 "Give a project a private flavor.",
                                 [{"path": "/flavors/{flavor_id}/action (addTenantAccess)",
                                   "method": "POST"}]),
    policy.DocumentedRuleDefault("os_compute_api:os-flavor-access:remove_tenant_access",
                                 ADMIN, "Take a private flavor from a project.",
                                 [{"path": "/flavors/{flavor_id}/action (removeTenantAccess)",
                                   "method": "POST"}]),
    policy.DocumentedRuleDefault("os_compute_api:os-flavor-manage:create", ADMIN,
                                 "Create a flavor.", [{"path": "/flavors", "method": "POST"}]),
    policy.DocumentedRuleDefault("os_compute_api:os-flavor-manage:update", ADMIN,
                                 "Update a flavor's description.",
                                 [{"path": "/flavors/{flavor_id}", "method": "PUT"}]),
    policy.DocumentedRuleDefault("os_compute_api:os-flavor-manage:delete", ADMIN,
                                 "Delete a flavor.",
                                 [{"path": "/flavors/{flavor_id}", "method": "DELETE"}]),
    policy.DocumentedRuleDefault("os_compute_api:os-flavor-extra-specs:create", ADMIN,
                                 "Set or delete flavor extra specs.",
                                 [{"path": "/flavors/{flavor_id}/os-extra_specs",
                                   "method": "POST"}]),
]


def list_rules():
    return RULES
