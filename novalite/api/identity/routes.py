"""The whole identity URL map below /v3: path -> {METHOD: handler}. The first matching
path wins, so fixed paths come before {id} paths. HEAD falls back to GET."""

from novalite.api.identity import (
    catalog,
    credentials,
    domains,
    projects,
    roles,
    tokens,
    users,
)

ROUTES = [
    ("/auth/tokens", {"POST": tokens.issue_token, "GET": tokens.validate_token,
                      "DELETE": tokens.revoke_token}),
    ("/auth/projects", {"GET": projects.list_auth_projects}),
    ("/auth/catalog", {"GET": tokens.show_catalog}),
    ("/projects", {"GET": projects.list_projects, "POST": projects.create_project}),
    ("/projects/{project_id}", {"GET": projects.show_project,
                                "PATCH": projects.update_project,
                                "DELETE": projects.delete_project}),
    ("/projects/{project_id}/users/{user_id}/roles", {"GET": roles.list_grants}),
    ("/projects/{project_id}/users/{user_id}/roles/{role_id}",
     {"PUT": roles.grant, "HEAD": roles.check_grant, "GET": roles.check_grant,
      "DELETE": roles.revoke_grant}),
    ("/users", {"GET": users.list_users, "POST": users.create_user}),
    ("/users/{user_id}", {"GET": users.show_user, "PATCH": users.update_user,
                          "DELETE": users.delete_user}),
    ("/users/{user_id}/password", {"POST": users.change_password}),
    ("/users/{user_id}/projects", {"GET": projects.list_user_projects}),
    ("/users/{user_id}/credentials/OS-EC2",
     {"GET": credentials.list_ec2_credentials, "POST": credentials.create_ec2_credential}),
    ("/users/{user_id}/credentials/OS-EC2/{access}",
     {"GET": credentials.show_ec2_credential, "DELETE": credentials.delete_ec2_credential}),
    ("/roles", {"GET": roles.list_roles, "POST": roles.create_role}),
    ("/roles/{role_id}", {"GET": roles.show_role, "DELETE": roles.delete_role}),
    ("/role_assignments", {"GET": roles.list_role_assignments}),
    ("/domains", {"GET": domains.list_domains}),
    ("/services", {"GET": catalog.list_services}),
    ("/services/{service_id}", {"GET": catalog.show_service}),
    ("/endpoints", {"GET": catalog.list_endpoints}),
    ("/endpoints/{endpoint_id}", {"GET": catalog.show_endpoint}),
    ("/regions", {"GET": catalog.list_regions}),
    ("/domains/{domain_id}", {"GET": domains.show_domain}),
]

# Reached without a token: authentication itself.
PUBLIC = frozenset({tokens.issue_token})
