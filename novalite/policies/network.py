"""The network service's defaults, with Neutron's rule names and personas: a project's
members make and change its resources, its readers see them, everyone sees shared and
external networks, and only administrators set what touches the hosts (provider
attributes, shared, router:external, port bindings)."""

from oslo_policy import policy

from novalite.policies.base import ADMIN

# Neutron's own base rules: the target's project_id is the resource's; network_owner is
# the project of the network a subnet or port sits on.
OWNER_MEMBER = "role:member and project_id:%(project_id)s"
OWNER_READER = "role:reader and project_id:%(project_id)s"
NET_OWNER_MEMBER = "role:member and project_id:%(network:project_id)s"
NET_OWNER_READER = "role:reader and project_id:%(network:project_id)s"
# oslo.policy's generic check: the literal compared with the target's value.
SHARED = "'True':%(network:shared)s"
EXTERNAL = "'True':%(network:router:external)s"


def _rule(name, check, description, path, method):
    return policy.DocumentedRuleDefault(name, check, description,
                                        [{"path": path, "method": method}])


_NETWORKS = "/networks"
_SUBNETS = "/subnets"
_PORTS = "/ports"

RULES = [
    _rule("create_network", "rule:context_is_admin or role:member", "Create a network.",
          _NETWORKS, "POST"),
    _rule("create_network:shared", ADMIN, "Create a shared network.", _NETWORKS, "POST"),
    _rule("create_network:router:external", ADMIN, "Create an external network.",
          _NETWORKS, "POST"),
    _rule("create_network:provider", ADMIN, "Set a network's provider attributes.",
          _NETWORKS, "POST"),
    _rule("get_network", "rule:context_is_admin or (%s) or rule:shared or rule:external"
          % OWNER_READER, "Show a network.", _NETWORKS + "/{id}", "GET"),
    _rule("get_network:provider", ADMIN, "See a network's provider attributes.",
          _NETWORKS + "/{id}", "GET"),
    _rule("update_network", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Update a network.", _NETWORKS + "/{id}", "PUT"),
    _rule("update_network:shared", ADMIN, "Share a network or stop sharing it.",
          _NETWORKS + "/{id}", "PUT"),
    _rule("update_network:router:external", ADMIN, "Make a network external or not.",
          _NETWORKS + "/{id}", "PUT"),
    _rule("delete_network", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Delete a network.", _NETWORKS + "/{id}", "DELETE"),
    _rule("create_subnet", "rule:context_is_admin or (%s)" % NET_OWNER_MEMBER,
          "Create a subnet (on a network of the project).", _SUBNETS, "POST"),
    _rule("get_subnet", "rule:context_is_admin or (%s) or rule:shared or rule:external"
          % OWNER_READER,
          "Show a subnet.", _SUBNETS + "/{id}", "GET"),
    _rule("update_subnet", "rule:context_is_admin or (%s)" % NET_OWNER_MEMBER,
          "Update a subnet.", _SUBNETS + "/{id}", "PUT"),
    _rule("delete_subnet", "rule:context_is_admin or (%s)" % NET_OWNER_MEMBER,
          "Delete a subnet.", _SUBNETS + "/{id}", "DELETE"),
    _rule("create_port", "rule:context_is_admin or role:member", "Create a port.", _PORTS,
          "POST"),
    _rule("create_port:device_owner", "rule:context_is_admin or (%s)" % NET_OWNER_MEMBER,
          "Make a port for a network device (device_owner network:..., such as a router's"
          " or a DHCP server's).", _PORTS, "POST"),
    _rule("create_port:mac_address", "rule:context_is_admin or (%s)" % NET_OWNER_MEMBER,
          "Choose a port's MAC address.", _PORTS, "POST"),
    _rule("create_port:fixed_ips:ip_address", "rule:context_is_admin or (%s)"
          % NET_OWNER_MEMBER, "Choose a port's IP address.", _PORTS, "POST"),
    _rule("create_port:binding", ADMIN, "Bind a port to a host.", _PORTS, "POST"),
    _rule("get_port", "rule:context_is_admin or (%s) or (%s)" % (OWNER_READER,
                                                                  NET_OWNER_READER),
          "Show a port.", _PORTS + "/{id}", "GET"),
    _rule("get_port:binding", ADMIN, "See a port's binding.", _PORTS + "/{id}", "GET"),
    _rule("update_port", "rule:context_is_admin or (%s) or (%s)" % (OWNER_MEMBER,
                                                                     NET_OWNER_MEMBER),
          "Update a port.", _PORTS + "/{id}", "PUT"),
    _rule("update_port:binding", ADMIN, "Change a port's binding.", _PORTS + "/{id}", "PUT"),
    _rule("update_port:fixed_ips:ip_address", "rule:context_is_admin or (%s)"
          % NET_OWNER_MEMBER, "Choose a port's IP address.", _PORTS + "/{id}", "PUT"),
    _rule("update_port:mac_address", ADMIN, "Change a port's MAC address.",
          _PORTS + "/{id}", "PUT"),
    _rule("delete_port", "rule:context_is_admin or (%s) or (%s)" % (OWNER_MEMBER,
                                                                     NET_OWNER_MEMBER),
          "Delete a port.", _PORTS + "/{id}", "DELETE"),
    policy.RuleDefault("shared", SHARED, "The network is shared."),
    policy.RuleDefault("external", EXTERNAL, "The network is external."),
]


def list_rules():
    return RULES


_GROUPS = "/security-groups"
_RULES = "/security-group-rules"
RULES += [
    _rule("create_security_group", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Create a security group.", _GROUPS, "POST"),
    _rule("get_security_group", "rule:context_is_admin or (%s)" % OWNER_READER,
          "Show a security group.", _GROUPS + "/{id}", "GET"),
    _rule("update_security_group", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Update a security group.", _GROUPS + "/{id}", "PUT"),
    _rule("delete_security_group", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Delete a security group.", _GROUPS + "/{id}", "DELETE"),
    _rule("create_security_group_rule", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Add a rule to a security group.", _RULES, "POST"),
    _rule("delete_security_group_rule", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Remove a rule from a security group.", _RULES + "/{id}", "DELETE"),
]


_ROUTERS = "/routers"
_FIPS = "/floatingips"
RULES += [
    _rule("create_router", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Create a router.", _ROUTERS, "POST"),
    _rule("create_router:external_gateway_info:enable_snat", ADMIN,
          "Turn a router's SNAT off.", _ROUTERS, "POST"),
    _rule("create_router:external_gateway_info:external_fixed_ips", ADMIN,
          "Choose a router gateway's address.", _ROUTERS, "POST"),
    _rule("get_router", "rule:context_is_admin or (%s)" % OWNER_READER, "Show a router.",
          _ROUTERS + "/{id}", "GET"),
    _rule("update_router", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Update a router.", _ROUTERS + "/{id}", "PUT"),
    _rule("delete_router", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Delete a router.", _ROUTERS + "/{id}", "DELETE"),
    _rule("add_router_interface", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Attach a subnet or port to a router.", _ROUTERS + "/{id}/add_router_interface",
          "PUT"),
    _rule("remove_router_interface", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Detach a subnet or port from a router.",
          _ROUTERS + "/{id}/remove_router_interface", "PUT"),
    _rule("create_floatingip", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Allocate a floating IP.", _FIPS, "POST"),
    _rule("create_floatingip:floating_ip_address", ADMIN,
          "Allocate a chosen floating IP address.", _FIPS, "POST"),
    _rule("get_floatingip", "rule:context_is_admin or (%s)" % OWNER_READER,
          "Show a floating IP.", _FIPS + "/{id}", "GET"),
    _rule("update_floatingip", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Associate or disassociate a floating IP.", _FIPS + "/{id}", "PUT"),
    _rule("delete_floatingip", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Release a floating IP.", _FIPS + "/{id}", "DELETE"),
]

RULES += [
    _rule("get_quota", "rule:context_is_admin or (%s)" % OWNER_READER,
          "See a project's network quotas (all projects': administrators).",
          "/quotas/{project_id}", "GET"),
    _rule("update_quota", ADMIN, "Set a project's network quotas.", "/quotas/{project_id}",
          "PUT"),
    _rule("delete_quota", ADMIN, "Reset a project's network quotas to the defaults.",
          "/quotas/{project_id}", "DELETE"),
]

RULES += [
    _rule("update_tags", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Tag a resource, or remove its tags.", "/{resources}/{id}/tags", "PUT"),
]

RULES += [
    _rule("create_network:is_default", ADMIN, "Make a network the default external one.",
          _NETWORKS, "POST"),
    _rule("update_network:is_default", ADMIN,
          "Make a network the default external one, or stop it being so.",
          _NETWORKS + "/{id}", "PUT"),
    # The hosts' agents: administrators only (others list none and find none).
    _rule("get_agent", ADMIN, "Show the hosts' network agents.", "/agents", "GET"),
    _rule("update_agent", ADMIN, "Set an agent's admin_state_up or description.",
          "/agents/{id}", "PUT"),
    _rule("delete_agent", ADMIN, "Delete an agent's record.", "/agents/{id}", "DELETE"),
    # Neutron's: a project's readers get (and so make) its topology, its members delete it.
    _rule("get_auto_allocated_topology", "rule:context_is_admin or (%s)" % OWNER_READER,
          "Get a project's auto-allocated topology (made on the first request).",
          "/auto-allocated-topology/{project_id}", "GET"),
    _rule("delete_auto_allocated_topology", "rule:context_is_admin or (%s)" % OWNER_MEMBER,
          "Delete a project's auto-allocated topology.",
          "/auto-allocated-topology/{project_id}", "DELETE"),
]
