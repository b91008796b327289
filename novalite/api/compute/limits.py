"""/limits: the project's absolute limits and usage, in Nova's names. Rate limits are long
gone from Nova ("rate": []). Keys go away with microversions: nova-network's at 2.36,
maxImageMeta at 2.39, the personality ones at 2.57."""

from novalite.api.compute import params

# quota resource -> the names it is shown under, in Nova's order.
_ABSOLUTE = (("ram", ("maxTotalRAMSize",)), ("instances", ("maxTotalInstances",)),
             ("cores", ("maxTotalCores",)), ("key_pairs", ("maxTotalKeypairs",)),
             ("floating_ips", ("maxTotalFloatingIps",)),
             ("metadata_items", ("maxServerMeta", "maxImageMeta")),
             ("injected_files", ("maxPersonality",)),
             ("injected_file_content_bytes", ("maxPersonalitySize",)),
             ("security_groups", ("maxSecurityGroups",)),
             ("security_group_rules", ("maxSecurityGroupRules",)),
             ("server_groups", ("maxServerGroups",)),
             ("server_group_members", ("maxServerGroupMembers",)))
_USED = (("totalRAMUsed", "ram"), ("totalCoresUsed", "cores"),
         ("totalInstancesUsed", "instances"), ("totalFloatingIpsUsed", "floating_ips"),
         ("totalSecurityGroupsUsed", "security_groups"),
         ("totalServerGroupsUsed", "server_groups"))


def _hidden(version) -> set[str]:
    """Resources (and single names) this version no longer shows."""
    hidden = set()
    if version.matches(2, 36):
        hidden.update(("floating_ips", "security_groups", "security_group_rules"))
    if version.matches(2, 39):
        hidden.add("maxImageMeta")
    if version.matches(2, 57):
        hidden.update(("injected_files", "injected_file_content_bytes"))
    return hidden


def show_limits(req):
    params.reject_nul(req)
    params.check_known(req, {"tenant_id"})
    project_id = req.query.get("tenant_id")  # another project's: admins only
    limits, used = req.app.compute_api.quotas.limits(req.context, project_id)
    hidden = _hidden(req.version)
    absolute = {}
    for resource, names in _ABSOLUTE:
        if resource not in hidden:
            absolute.update({name: limits[resource] for name in names if name not in hidden})
    absolute.update({name: used[resource] for name, resource in _USED
                     if resource not in hidden})
    return {"limits": {"rate": [], "absolute": absolute}}
