from oslo_policy import policy

from novalite.policies.base import ADMIN

PREFIX = "os_compute_api:os-keypairs:%s"
# Key pairs belong to users: the owner, or an administrator (user_id in the API from 2.10).
OWNER_OR_ADMIN = "(%s) or user_id:%%(user_id)s" % ADMIN


def _rule(name, description, path, method):
    return policy.DocumentedRuleDefault(PREFIX % name, OWNER_OR_ADMIN, description,
                                        [{"path": path, "method": method}])


RULES = [
    _rule("index", "List a user's key pairs.", "/os-keypairs", "GET"),
    _rule("create", "Create or import a key pair.", "/os-keypairs", "POST"),
    _rule("show", "Show a key pair.", "/os-keypairs/{keypair_name}", "GET"),
    _rule("delete", "Delete a key pair.", "/os-keypairs/{keypair_name}", "DELETE"),
]


def list_rules():
    return RULES
