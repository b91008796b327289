"""Policy defaults in code (oslo.policy), modelled on Nova's personas.

The identity issue widens this (reader/member personas, policy.yaml, `novalite policy sample`);
for now the core rules are here so every handler already goes through context.can().
"""

import functools
import threading

from oslo_config import cfg
from oslo_policy import policy

from novalite import exception

ADMIN = "role:admin"
PROJECT_MEMBER_OR_ADMIN = "rule:admin_api or project_id:%(project_id)s"

RULES = [
    policy.RuleDefault("admin_api", ADMIN, "Cloud administrator."),
    policy.RuleDefault("project_member_or_admin", PROJECT_MEMBER_OR_ADMIN,
                       "A member of the owning project, or an administrator."),
    policy.RuleDefault("os_compute_api:servers:create", "rule:project_member_or_admin",
                       "Create a server."),
    policy.RuleDefault("os_compute_api:servers:index", "rule:project_member_or_admin",
                       "List servers."),
    policy.RuleDefault("os_compute_api:servers:index:get_all_tenants", "rule:admin_api",
                       "List servers of all projects."),
    policy.RuleDefault("os_compute_api:servers:allow_all_filters", "rule:admin_api",
                       "Use admin-only server list filters (host, ...)."),
    policy.RuleDefault("os_compute_api:servers:show", "rule:project_member_or_admin",
                       "Show a server."),
    policy.RuleDefault("os_compute_api:os-extended-server-attributes", "rule:admin_api",
                       "Show OS-EXT-SRV-ATTR fields."),
    policy.RuleDefault("os_compute_api:servers:update", "rule:project_member_or_admin",
                       "Update a server."),
    policy.RuleDefault("os_compute_api:servers:delete", "rule:project_member_or_admin",
                       "Delete a server."),
    policy.RuleDefault("os_compute_api:servers:reboot", "rule:project_member_or_admin",
                       "Reboot a server."),
    policy.RuleDefault("os_compute_api:servers:start", "rule:project_member_or_admin",
                       "Start a server."),
    policy.RuleDefault("os_compute_api:servers:stop", "rule:project_member_or_admin",
                       "Stop a server."),
    policy.RuleDefault("os_compute_api:os-instance-actions:list", "rule:project_member_or_admin",
                       "List a server's actions."),
    policy.RuleDefault("os_compute_api:os-instance-actions:show", "rule:project_member_or_admin",
                       "Show a server's action."),
    policy.RuleDefault("os_compute_api:os-flavor-manage:create", "rule:admin_api",
                       "Create a flavor."),
    policy.RuleDefault("os_compute_api:os-flavor-manage:delete", "rule:admin_api",
                       "Delete a flavor."),
    policy.RuleDefault("os_compute_api:os-flavor-extra-specs:create", "rule:admin_api",
                       "Set flavor extra specs."),
    policy.RuleDefault("os_compute_api:os-services:list", "rule:admin_api", "List services."),
    policy.RuleDefault("os_compute_api:os-hypervisors:list", "rule:admin_api",
                       "List hypervisors."),
    policy.RuleDefault("os_compute_api:os-availability-zone:detail", "rule:admin_api",
                       "Availability zones with their hosts."),
]

_lock = threading.Lock()
_enforcer: policy.Enforcer | None = None


def enforcer() -> policy.Enforcer:
    global _enforcer
    with _lock:
        if _enforcer is None:
            conf = cfg.ConfigOpts()
            conf([], project="novalite")
            _enforcer = policy.Enforcer(conf)
            _enforcer.register_defaults(RULES)
            _enforcer.load_rules()
            # Rules are read once at start; without this oslo.policy looks for a changed
            # policy file on every check.
            _enforcer.use_conf = False
        return _enforcer


@functools.lru_cache(maxsize=4096)
def _allowed(rule: str, target: tuple, user_id, project_id, roles: tuple, is_admin) -> bool:
    """A decision depends only on these values, so it is computed once per combination."""
    creds = {"user_id": user_id, "project_id": project_id, "roles": list(roles),
             "is_admin": is_admin}
    return enforcer().enforce(rule, dict(target), creds)


def authorize(context, rule: str, target: dict | None = None) -> None:
    target = target if target is not None else {"project_id": context.project_id}
    if not _allowed(rule, tuple(sorted(target.items())), context.user_id, context.project_id,
                    tuple(context.roles), context.is_admin):
        raise exception.PolicyNotAuthorized(action=rule)


def check(context, rule: str, target: dict | None = None) -> bool:
    try:
        authorize(context, rule, target)
    except exception.PolicyNotAuthorized:
        return False
    return True
