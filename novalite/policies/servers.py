from oslo_policy import policy

from novalite.policies.base import ADMIN, PROJECT_MEMBER_OR_ADMIN, PROJECT_READER_OR_ADMIN

PREFIX = "os_compute_api:servers:%s"


def _rule(name, check, description, path, method):
    return policy.DocumentedRuleDefault(PREFIX % name, check, description,
                                        [{"path": path, "method": method}])


RULES = [
    _rule("create", PROJECT_MEMBER_OR_ADMIN, "Create a server.", "/servers", "POST"),
    _rule("index", PROJECT_READER_OR_ADMIN, "List servers.", "/servers", "GET"),
    _rule("index:get_all_tenants", ADMIN, "List servers of all projects (all_tenants).",
          "/servers", "GET"),
    _rule("allow_all_filters", ADMIN, "Use admin-only list filters (host, node, deleted).",
          "/servers", "GET"),
    _rule("show", PROJECT_READER_OR_ADMIN, "Show a server.", "/servers/{server_id}", "GET"),
    _rule("multi_show", PROJECT_READER_OR_ADMIN, "Show several servers in one request.",
          "/servers/multi_show", "POST"),
    _rule("show:host_status", ADMIN, "See host_status in the server view.",
          "/servers/{server_id}", "GET"),
    _rule("update", PROJECT_MEMBER_OR_ADMIN, "Update a server.", "/servers/{server_id}",
          "PUT"),
    _rule("delete", PROJECT_MEMBER_OR_ADMIN, "Delete a server.", "/servers/{server_id}",
          "DELETE"),
    _rule("reboot", PROJECT_MEMBER_OR_ADMIN, "Reboot a server.",
          "/servers/{server_id}/action (reboot)", "POST"),
    _rule("start", PROJECT_MEMBER_OR_ADMIN, "Start a server.",
          "/servers/{server_id}/action (os-start)", "POST"),
    _rule("stop", PROJECT_MEMBER_OR_ADMIN, "Stop a server.",
          "/servers/{server_id}/action (os-stop)", "POST"),
    _rule("rebuild", PROJECT_MEMBER_OR_ADMIN, "Rebuild a server from an image.",
          "/servers/{server_id}/action (rebuild)", "POST"),
    _rule("resize", PROJECT_MEMBER_OR_ADMIN, "Resize a server to another flavor.",
          "/servers/{server_id}/action (resize)", "POST"),
    _rule("confirm_resize", PROJECT_MEMBER_OR_ADMIN, "Confirm a resize or migration.",
          "/servers/{server_id}/action (confirmResize)", "POST"),
    _rule("revert_resize", PROJECT_MEMBER_OR_ADMIN, "Revert a resize or migration.",
          "/servers/{server_id}/action (revertResize)", "POST"),
    _rule("create_image", PROJECT_MEMBER_OR_ADMIN, "Snapshot a server into an image.",
          "/servers/{server_id}/action (createImage)", "POST"),
    _rule("backup_instance", PROJECT_MEMBER_OR_ADMIN, "Back a server up into an image.",
          "/servers/{server_id}/backup_instance", "POST"),
    policy.DocumentedRuleDefault(
        "os_compute_api:os-create-backup", PROJECT_MEMBER_OR_ADMIN,
        "Back a server up with rotation of older backups.",
        [{"path": "/servers/{server_id}/action (createBackup)", "method": "POST"}]),
    policy.DocumentedRuleDefault(
        "os_compute_api:os-extended-server-attributes", ADMIN,
        "See OS-EXT-SRV-ATTR:* fields of a server.",
        [{"path": "/servers/{server_id}", "method": "GET"}]),
    policy.DocumentedRuleDefault(
        "os_compute_api:os-instance-actions:list", PROJECT_READER_OR_ADMIN,
        "List a server's actions.",
        [{"path": "/servers/{server_id}/os-instance-actions", "method": "GET"}]),
    policy.DocumentedRuleDefault(
        "os_compute_api:os-instance-actions:show", PROJECT_READER_OR_ADMIN,
        "Show a server's action.",
        [{"path": "/servers/{server_id}/os-instance-actions/{request_id}", "method": "GET"}]),
    policy.DocumentedRuleDefault(
        "os_compute_api:os-instance-actions:events", ADMIN,
        "See an action's events with their traceback and host (before 2.51 the events"
        " at all).",
        [{"path": "/servers/{server_id}/os-instance-actions/{request_id}", "method": "GET"}]),
    policy.DocumentedRuleDefault(
        "os_compute_api:os-instance-actions:events:details", ADMIN,
        "See the message of a failed event (2.84).",
        [{"path": "/servers/{server_id}/os-instance-actions/{request_id}", "method": "GET"}]),
]


def list_rules():
    return RULES
