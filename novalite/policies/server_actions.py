"""Server actions' rules, Nova's names and defaults: a project member acts on the project's
servers; overriding an administrator's lock, resetting state and injecting network info
are the administrator's."""

from oslo_policy import policy

from novalite.policies.base import ADMIN, PROJECT_MEMBER_OR_ADMIN, PROJECT_READER_OR_ADMIN

_ACTION_PATH = "/servers/{server_id}/action (%s)"


def _rule(name, check, description, action):
    return policy.DocumentedRuleDefault(name, check, description,
                                        [{"path": _ACTION_PATH % action, "method": "POST"}])


RULES = [
    _rule("os_compute_api:os-pause-server:pause", PROJECT_MEMBER_OR_ADMIN,
          "Pause a server.", "pause"),
    _rule("os_compute_api:os-pause-server:unpause", PROJECT_MEMBER_OR_ADMIN,
          "Unpause a paused server.", "unpause"),
    _rule("os_compute_api:os-suspend-server:suspend", PROJECT_MEMBER_OR_ADMIN,
          "Suspend a server.", "suspend"),
    _rule("os_compute_api:os-suspend-server:resume", PROJECT_MEMBER_OR_ADMIN,
          "Resume a suspended server.", "resume"),
    _rule("os_compute_api:servers:trigger_crash_dump", PROJECT_MEMBER_OR_ADMIN,
          "Trigger a crash dump in a server.", "trigger_crash_dump"),
    _rule("os_compute_api:os-rescue", PROJECT_MEMBER_OR_ADMIN,
          "Rescue a server.", "rescue"),
    _rule("os_compute_api:os-unrescue", PROJECT_MEMBER_OR_ADMIN,
          "Unrescue a server.", "unrescue"),
    _rule("os_compute_api:os-migrate-server:migrate", ADMIN,
          "Cold migrate a server to another host.", "migrate"),
    _rule("os_compute_api:os-migrate-server:migrate:host", ADMIN,
          "Cold migrate a server to a chosen host (2.56).", "migrate"),
    _rule("os_compute_api:os-shelve:shelve", PROJECT_MEMBER_OR_ADMIN,
          "Shelve a server.", "shelve"),
    _rule("os_compute_api:os-shelve:shelve_offload", ADMIN,
          "Offload a shelved server from its host.", "shelveOffload"),
    _rule("os_compute_api:os-shelve:unshelve", PROJECT_MEMBER_OR_ADMIN,
          "Unshelve a shelved server.", "unshelve"),
    _rule("os_compute_api:os-shelve:unshelve_to_host", ADMIN,
          "Unshelve an offloaded server onto a chosen host (2.91).", "unshelve"),
    _rule("os_compute_api:os-security-groups:add", PROJECT_MEMBER_OR_ADMIN,
          "Add a security group to a server.", "addSecurityGroup"),
    _rule("os_compute_api:os-security-groups:remove", PROJECT_MEMBER_OR_ADMIN,
          "Remove a security group from a server.", "removeSecurityGroup"),
    policy.DocumentedRuleDefault("os_compute_api:os-security-groups:list",
                                 PROJECT_READER_OR_ADMIN,
                                 "List the security groups of a server.",
                                 [{"path": "/servers/{server_id}/os-security-groups",
                                   "method": "GET"}]),
    _rule("os_compute_api:os-multinic:add", PROJECT_MEMBER_OR_ADMIN,
          "Add a fixed IP to a server (until 2.44).", "addFixedIp"),
    _rule("os_compute_api:os-multinic:remove", PROJECT_MEMBER_OR_ADMIN,
          "Remove a fixed IP from a server (until 2.44).", "removeFixedIp"),
    _rule("os_compute_api:os-floating-ips:add", PROJECT_MEMBER_OR_ADMIN,
          "Associate a floating IP with a server (until 2.44).", "addFloatingIp"),
    _rule("os_compute_api:os-floating-ips:remove", PROJECT_MEMBER_OR_ADMIN,
          "Disassociate a floating IP from a server (until 2.44).", "removeFloatingIp"),
    _rule("os_compute_api:os-admin-password", PROJECT_MEMBER_OR_ADMIN,
          "Change a server's administrator password.", "changePassword"),
    _rule("os_compute_api:os-lock-server:lock", PROJECT_MEMBER_OR_ADMIN,
          "Lock a server.", "lock"),
    _rule("os_compute_api:os-lock-server:unlock", PROJECT_MEMBER_OR_ADMIN,
          "Unlock a server.", "unlock"),
    _rule("os_compute_api:os-lock-server:unlock:unlock_override", ADMIN,
          "Unlock a server another persona (an administrator) locked.", "unlock"),
    _rule("os_compute_api:os-deferred-delete:restore", PROJECT_MEMBER_OR_ADMIN,
          "Restore a soft-deleted server.", "restore"),
    _rule("os_compute_api:os-deferred-delete:force", PROJECT_MEMBER_OR_ADMIN,
          "Delete a server at once, soft-deleted or not.", "forceDelete"),
    _rule("os_compute_api:os-admin-actions:reset_state", ADMIN,
          "Reset a server's vm_state (active or error) and clear its task_state.",
          "os-resetState"),
    _rule("os_compute_api:os-admin-actions:inject_network_info", ADMIN,
          "Inject network information into a server.", "injectNetworkInfo"),
]


def list_rules():
    return RULES
