"""Migrations' rules, Nova's names and defaults: the listing is a project manager's (own
project, no hosts shown) or an administrator's; live migration, evacuation and steering
a migration in progress are the administrator's."""

from oslo_policy import policy

from novalite.policies.base import ADMIN, PROJECT_MANAGER_OR_ADMIN


def _rule(name, check, description, path, method):
    return policy.DocumentedRuleDefault(name, check, description,
                                        [{"path": path, "method": method}])


RULES = [
    _rule("os_compute_api:os-migrations:index", PROJECT_MANAGER_OR_ADMIN,
          "List migrations.", "/os-migrations", "GET"),
    _rule("os_compute_api:os-migrations:index:all_projects", ADMIN,
          "List the migrations of every project.", "/os-migrations", "GET"),
    _rule("os_compute_api:os-migrations:index:host", ADMIN,
          "See the hosts of listed migrations.", "/os-migrations", "GET"),
    _rule("os_compute_api:servers:migrations:index", ADMIN,
          "List a server's live migrations in progress.",
          "/servers/{server_id}/migrations", "GET"),
    _rule("os_compute_api:servers:migrations:show", ADMIN,
          "Show a server's live migration in progress.",
          "/servers/{server_id}/migrations/{migration_id}", "GET"),
    _rule("os_compute_api:servers:migrations:force_complete", ADMIN,
          "Force a live migration in progress to complete (2.22).",
          "/servers/{server_id}/migrations/{migration_id}/action (force_complete)", "POST"),
    _rule("os_compute_api:servers:migrations:delete", ADMIN,
          "Abort a live migration in progress (2.24).",
          "/servers/{server_id}/migrations/{migration_id}", "DELETE"),
    _rule("os_compute_api:os-migrate-server:migrate_live", ADMIN,
          "Live migrate a server to another host.",
          "/servers/{server_id}/action (os-migrateLive)", "POST"),
    _rule("os_compute_api:os-evacuate", ADMIN,
          "Rebuild a server of a failed host on another host.",
          "/servers/{server_id}/action (evacuate)", "POST"),
]


def list_rules():
    return RULES
