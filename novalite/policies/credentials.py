"""EC2 credentials (Keystone's OS-EC2 rules): a user manages their own; an administrator
anyone's."""

from oslo_policy import policy

OWN_USER_OR_ADMIN = "rule:context_is_admin or user_id:%(user_id)s"


def _rule(name, description, method, path):
    return policy.DocumentedRuleDefault("identity:" + name, OWN_USER_OR_ADMIN, description,
                                        [{"method": method, "path": path}])


RULES = [
    _rule("ec2_list_credentials", "List a user's EC2 credentials.",
          "GET", "/v3/users/{user_id}/credentials/OS-EC2"),
    _rule("ec2_get_credential", "Show an EC2 credential.",
          "GET", "/v3/users/{user_id}/credentials/OS-EC2/{credential_id}"),
    _rule("ec2_create_credential", "Create an EC2 credential for a user and project.",
          "POST", "/v3/users/{user_id}/credentials/OS-EC2"),
    _rule("ec2_delete_credential", "Delete an EC2 credential.",
          "DELETE", "/v3/users/{user_id}/credentials/OS-EC2/{credential_id}"),
]


def list_rules():
    return RULES
