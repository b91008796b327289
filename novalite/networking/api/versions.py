"""GET / (the versions), GET /v2.0 (its resources) and /v2.0/extensions: exactly the
extensions this service implements, since clients decide what to call from that list."""

from novalite.networking import exceptions

_UPDATED = "2026-12-07T00:00:00-00:00"
EXTENSIONS = [
    ("project-id", "project_id field enabled",
     "Extension that indicates that project_id field is enabled."),
    ("external-net", "Neutron external network",
     "Adds external network attribute to network resource."),
    ("subnet-external-network", "Subnet external network",
     "Informs if the subnet is associated to an external network."),
    ("provider", "Provider Network", "Expose mapping of virtual networks to physical networks"),
    ("net-mtu", "Network MTU", "Provides MTU attribute for a network resource."),
    ("net-mtu-writable", "Network MTU (writable)",
     "Provides a writable MTU attribute for a network resource."),
    ("port-security", "Port Security", "Provides port security"),
    ("binding", "Port Binding",
     "Expose port bindings of a virtual port to external application"),
    ("allowed-address-pairs", "Allowed Address Pairs", "Provides allowed address pairs"),
    ("standard-attr-description", "standard-attr-description",
     "Extension to add descriptions to standard attributes"),
    ("standard-attr-timestamp", "Resource timestamps",
     "Adds created_at and updated_at fields to all Neutron resources that have Neutron "
     "standard attributes."),
    ("standard-attr-revisions", "Resource revision numbers",
     "This extension will display the revision number of neutron resources."),
    ("revision-if-match", "If-Match constraints based on revision_number",
     "Extension indicating that If-Match based on revision_number is supported."),
    ("pagination", "Pagination support", "Extension that indicates that pagination is enabled."),
    ("sorting", "Sorting support", "Extension that indicates that sorting is enabled."),
    ("filter-validation", "Filter parameters validation",
     "Provides validation on filter parameters."),
    ("sort-key-validation", "Sort Key Validation", "Validate sort keys"),
    ("security-group", "security-group", "The security groups extension."),
    ("security-groups-normalized-cidr", "Normalized CIDR field for security group rules",
     "Add new field with normalized remote_ip_prefix cidr in SG rule"),
    ("standard-attr-tag", "Tag support for resources with standard attribute",
     "Enables to set tag on resources with standard attribute."),
    ("tag-creation", "Tag support for resources during creation",
     "Allows to set tags on resources during creation."),
    ("quotas", "Quota management support",
     "Expose functions for quotas management per project"),
    ("quota_details", "Quota details management support",
     "Expose functions for quotas usage statistics per project"),
    ("router", "Neutron L3 Router",
     "Router abstraction for basic L3 forwarding between L2 Neutron networks and access to "
     "external networks via a NAT gateway."),
    ("ext-gw-mode", "Neutron L3 Configurable external gateway mode",
     "Extension of the router abstraction for specifying whether SNAT should occur on the "
     "external gateway"),
    ("fip-port-details", "Floating IP Port Details Extension",
     "Add port_details attribute to Floating IP resource"),
    ("stateful-security-group", "Stateful security group",
     "Indicates if the security group is stateful or not"),
    ("auto-allocated-topology", "Auto Allocated Topology Services",
     "Auto Allocated Topology Services."),
    ("agent", "agent", "The agent management extension."),
    ("security-groups-rules-belongs-to-default-sg",
     "Security group rule belongs to the project's default security group",
     "Flag to determine if the security group rule belongs to the project's default "
     "security group"),
]


def versions(req):
    return 200, {"versions": [{"id": "v2.0", "status": "CURRENT", "links": [
        {"rel": "self", "href": req.base_url + "/v2.0/"}]}]}


def resources(req):
    return 200, {"resources": [
        {"name": name, "collection": collection,
         "links": [{"rel": "self", "href": "%s/v2.0/%s" % (req.base_url, collection)}]}
        for name, collection in (("network", "networks"), ("subnet", "subnets"),
                                 ("port", "ports"), ("security_group", "security-groups"),
                                 ("security_group_rule", "security-group-rules"),
                                 ("router", "routers"), ("floatingip", "floatingips"))]}


def _extension(alias, name, description) -> dict:
    return {"alias": alias, "name": name, "description": description, "links": [],
            "updated": _UPDATED}


def list_extensions(req):
    return 200, {"extensions": [_extension(*e) for e in EXTENSIONS]}


def show_extension(req, alias):
    for extension in EXTENSIONS:
        if extension[0] == alias:
            return 200, {"extension": _extension(*extension)}
    raise exceptions.HTTPNotFound()
