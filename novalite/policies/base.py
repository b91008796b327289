from oslo_policy import policy

ADMIN = "rule:context_is_admin"
PROJECT_MEMBER = "rule:project_member_api"
PROJECT_READER = "rule:project_reader_api"
PROJECT_MEMBER_OR_ADMIN = "rule:project_member_or_admin"
PROJECT_READER_OR_ADMIN = "rule:project_reader_or_admin"
PROJECT_MANAGER_OR_ADMIN = "rule:project_manager_or_admin"
SERVICE_OR_ADMIN = "rule:service_or_admin"
ANY = "@"

RULES = [
    policy.RuleDefault("context_is_admin", "role:admin",
                       "An administrator of the cloud."),
    policy.RuleDefault("admin_api", "role:admin", "An administrator (old name)."),
    policy.RuleDefault("project_member_api", "role:member and project_id:%(project_id)s",
                       "A member of the project that owns the target."),
    policy.RuleDefault("project_reader_api", "role:reader and project_id:%(project_id)s",
                       "A reader of the project that owns the target."),
    policy.RuleDefault("project_manager_api", "role:manager and project_id:%(project_id)s",
                       "A manager of the project that owns the target."),
    policy.RuleDefault("project_manager_or_admin", "rule:project_manager_api or "
                       "rule:context_is_admin", "A project manager or an administrator."),
    policy.RuleDefault("project_member_or_admin", "rule:project_member_api or "
                       "rule:context_is_admin", "A project member or an administrator."),
    policy.RuleDefault("project_reader_or_admin", "rule:project_reader_api or "
                       "rule:context_is_admin", "A project reader or an administrator."),
    policy.RuleDefault("service_api", "role:service",
                       "Another service of the cloud (the network service, ...)."),
    # As Nova until 2026.2: admin keeps access to the service APIs, for deployments whose
    # service users have no 'service' role.
    policy.RuleDefault("service_or_admin", "rule:service_api or rule:context_is_admin",
                       "Another service of the cloud or an administrator."),
]


def list_rules():
    return RULES
