"""The identity service's rules (Keystone's names). Managing projects, users, roles and
assignments is for administrators; a user may see themselves, their projects and their
own tokens."""

from oslo_policy import policy

from novalite.policies.base import ADMIN

OWN_USER_OR_ADMIN = "rule:context_is_admin or user_id:%(user_id)s"
OWN_PROJECT_OR_ADMIN = "rule:context_is_admin or project_id:%(project_id)s"


def _rule(name, check, description, method, path):
    return policy.DocumentedRuleDefault("identity:" + name, check, description,
                                        [{"method": method, "path": path}])


RULES = [
    _rule("validate_token", OWN_USER_OR_ADMIN, "Validate a token.",
          "GET", "/v3/auth/tokens"),
    _rule("check_token", OWN_USER_OR_ADMIN, "Check a token.", "HEAD", "/v3/auth/tokens"),
    _rule("revoke_token", OWN_USER_OR_ADMIN, "Revoke a token.",
          "DELETE", "/v3/auth/tokens"),
    _rule("list_projects", ADMIN, "List projects.", "GET", "/v3/projects"),
    _rule("get_project", OWN_PROJECT_OR_ADMIN, "Show a project.",
          "GET", "/v3/projects/{project_id}"),
    _rule("create_project", ADMIN, "Create a project.", "POST", "/v3/projects"),
    _rule("update_project", ADMIN, "Update a project.",
          "PATCH", "/v3/projects/{project_id}"),
    _rule("delete_project", ADMIN, "Delete a project.",
          "DELETE", "/v3/projects/{project_id}"),
    _rule("list_user_projects", OWN_USER_OR_ADMIN, "List a user's projects.",
          "GET", "/v3/users/{user_id}/projects"),
    _rule("list_users", ADMIN, "List users.", "GET", "/v3/users"),
    _rule("get_user", OWN_USER_OR_ADMIN, "Show a user.", "GET", "/v3/users/{user_id}"),
    _rule("create_user", ADMIN, "Create a user.", "POST", "/v3/users"),
    _rule("update_user", ADMIN, "Update a user (password, enabled ...).",
          "PATCH", "/v3/users/{user_id}"),
    _rule("delete_user", ADMIN, "Delete a user.", "DELETE", "/v3/users/{user_id}"),
    _rule("change_password", OWN_USER_OR_ADMIN, "Change one's own password.",
          "POST", "/v3/users/{user_id}/password"),
    _rule("list_roles", ADMIN, "List roles.", "GET", "/v3/roles"),
    _rule("get_role", ADMIN, "Show a role.", "GET", "/v3/roles/{role_id}"),
    _rule("create_role", ADMIN, "Create a role.", "POST", "/v3/roles"),
    _rule("delete_role", ADMIN, "Delete a role.", "DELETE", "/v3/roles/{role_id}"),
    _rule("create_grant", ADMIN, "Give a user a role on a project.",
          "PUT", "/v3/projects/{project_id}/users/{user_id}/roles/{role_id}"),
    _rule("check_grant", ADMIN, "Check a user's role on a project.",
          "HEAD", "/v3/projects/{project_id}/users/{user_id}/roles/{role_id}"),
    _rule("revoke_grant", ADMIN, "Take a role on a project from a user.",
          "DELETE", "/v3/projects/{project_id}/users/{user_id}/roles/{role_id}"),
    _rule("list_grants", ADMIN, "List a user's roles on a project.",
          "GET", "/v3/projects/{project_id}/users/{user_id}/roles"),
    _rule("list_role_assignments", ADMIN, "List role assignments.",
          "GET", "/v3/role_assignments"),
    _rule("list_domains", ADMIN, "List domains.", "GET", "/v3/domains"),
    # Keystone lets a user read the domain of the project they are scoped to; every project
    # is in the default domain for now, so that is the default domain.
    _rule("get_domain", "rule:context_is_admin or 'default':%(domain_id)s",
          "Show a domain (admins; others their project's domain).",
          "GET", "/v3/domains/{domain_id}"),
    _rule("list_services", ADMIN, "List and show the catalog's services.",
          "GET", "/v3/services"),
    _rule("list_endpoints", ADMIN, "List and show the catalog's endpoints.",
          "GET", "/v3/endpoints"),
]


def list_rules():
    return RULES
