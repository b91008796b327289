from oslo_policy import policy

from novalite.policies.base import ADMIN, ANY, PROJECT_READER_OR_ADMIN

PREFIX = "os_compute_api:os-quota-sets:%s"


def _rule(name, check, description, path, method):
    return policy.DocumentedRuleDefault(PREFIX % name, check, description,
                                        [{"path": path, "method": method}])


RULES = [
    _rule("show", PROJECT_READER_OR_ADMIN, "Show a project's quotas.",
          "/os-quota-sets/{tenant_id}", "GET"),
    _rule("detail", PROJECT_READER_OR_ADMIN, "Show a project's quotas with their usage.",
          "/os-quota-sets/{tenant_id}/detail", "GET"),
    _rule("defaults", ANY, "Show the default quotas.", "/os-quota-sets/{tenant_id}/defaults",
          "GET"),
    _rule("update", ADMIN, "Set a project's quotas.", "/os-quota-sets/{tenant_id}", "PUT"),
    _rule("delete", ADMIN, "Put a project's quotas back to the defaults.",
          "/os-quota-sets/{tenant_id}", "DELETE"),
]


def list_rules():
    return RULES
