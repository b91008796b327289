from oslo_policy import policy

from novalite.policies.base import ADMIN

PREFIX = "os_compute_api:os-aggregates:%s"


def _rule(name, description, path, method):
    return policy.DocumentedRuleDefault(PREFIX % name, ADMIN, description,
                                        [{"path": path, "method": method}])


RULES = [
    _rule("index", "List host aggregates.", "/os-aggregates", "GET"),
    _rule("create", "Create a host aggregate.", "/os-aggregates", "POST"),
    _rule("show", "Show a host aggregate.", "/os-aggregates/{aggregate_id}", "GET"),
    _rule("update", "Rename an aggregate or change its availability zone.",
          "/os-aggregates/{aggregate_id}", "PUT"),
    _rule("delete", "Delete an empty host aggregate.", "/os-aggregates/{aggregate_id}",
          "DELETE"),
    _rule("add_host", "Add a compute host to an aggregate.",
          "/os-aggregates/{aggregate_id}/action (add_host)", "POST"),
    _rule("remove_host", "Remove a compute host from an aggregate.",
          "/os-aggregates/{aggregate_id}/action (remove_host)", "POST"),
    _rule("set_metadata", "Set or remove aggregate metadata.",
          "/os-aggregates/{aggregate_id}/action (set_metadata)", "POST"),
    policy.DocumentedRuleDefault(
        "compute:aggregates:images", ADMIN,
        "Pre-cache images on an aggregate's hosts (2.81).",
        [{"path": "/os-aggregates/{aggregate_id}/images", "method": "POST"}]),
    policy.DocumentedRuleDefault(
        "os_compute_api:os-image-predistribution", ADMIN,
        "Create, list, show and cancel image pre-distribution jobs.",
        [{"path": "/os-image-predistribution", "method": "POST"},
         {"path": "/os-image-predistribution/{job_id}", "method": "GET"}]),
]


def list_rules():
    return RULES
