"""Rows as the Neutron resources the API answers with (before `fields=` selection)."""

import netaddr


def timestamp(value) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _standard(row) -> dict:
    return {"description": row.description, "created_at": timestamp(row.created_at),
            "updated_at": timestamp(row.updated_at), "revision_number": row.revision_number}


def network(row, subnet_ids: list[str], show_provider: bool) -> dict:
    out = {"id": row.id, "name": row.name, "project_id": row.project_id,
           "tenant_id": row.project_id, "status": row.status,
           "admin_state_up": row.admin_state_up, "shared": row.shared,
           "router:external": row.external, "mtu": row.mtu,
           "port_security_enabled": row.port_security_enabled, "subnets": subnet_ids,
           "availability_zone_hints": [], "availability_zones": ["nova"],
           "ipv4_address_scope": None, "ipv6_address_scope": None, "l2_adjacency": True,
           "is_default": row.is_default, **_standard(row)}
    if show_provider:
        out.update({"provider:network_type": row.network_type,
                    "provider:physical_network": row.physical_network,
                    "provider:segmentation_id": row.segmentation_id})
    return out


def subnet(row, external: bool) -> dict:
    """external: whether the subnet's network is (subnet-external-network)."""
    return {"id": row.id, "name": row.name, "network_id": row.network_id,
            "router:external": external, "project_id": row.project_id, "tenant_id": row.project_id,
            "ip_version": row.ip_version, "cidr": row.cidr, "gateway_ip": row.gateway_ip,
            "enable_dhcp": row.enable_dhcp, "ipv6_ra_mode": row.ipv6_ra_mode,
            "ipv6_address_mode": row.ipv6_address_mode,
            "allocation_pools": row.allocation_pools, "dns_nameservers": row.dns_nameservers,
            "host_routes": row.host_routes, "subnetpool_id": None, "segment_id": None,
            "service_types": [], "dns_publish_fixed_ip": False, **_standard(row)}


def port(row, fixed_ips: list[dict], show_binding: bool, security_groups: list[str]
         ) -> dict:
    out = {"id": row.id, "name": row.name, "network_id": row.network_id,
           "project_id": row.project_id, "tenant_id": row.project_id,
           "mac_address": row.mac_address, "admin_state_up": row.admin_state_up,
           "status": row.status, "device_id": row.device_id,
           "device_owner": row.device_owner, "fixed_ips": fixed_ips,
           "allowed_address_pairs": row.allowed_address_pairs,
           "port_security_enabled": row.port_security_enabled,
           "security_groups": security_groups, "ip_allocation": "immediate",
           "binding:vnic_type": row.binding_vnic_type, **_standard(row)}
    if show_binding:
        out.update({"binding:host_id": row.binding_host_id,
                    "binding:vif_type": row.binding_vif_type,
                    "binding:vif_details": {"port_filter": True} if row.binding_host_id
                    else {},
                    "binding:profile": row.binding_profile})
    return out


def security_group(row, rules: list[dict]) -> dict:
    return {"id": row.id, "name": row.name, "project_id": row.project_id,
            "tenant_id": row.project_id, "stateful": row.stateful,
            "security_group_rules": rules, **_standard(row)}


def security_group_rule(row, belongs_to_default: bool) -> dict:
    return {"id": row.id, "security_group_id": row.security_group_id,
            "project_id": row.project_id, "tenant_id": row.project_id,
            "direction": row.direction, "ethertype": row.ethertype, "protocol": row.protocol,
            "port_range_min": row.port_range_min, "port_range_max": row.port_range_max,
            "remote_ip_prefix": row.remote_ip_prefix, "remote_group_id": row.remote_group_id,
            "normalized_cidr": (str(netaddr.IPNetwork(row.remote_ip_prefix).cidr)
                                if row.remote_ip_prefix else None),
            "belongs_to_default_sg": belongs_to_default, **_standard(row)}


def router(row, gateway: dict | None) -> dict:
    return {"id": row.id, "name": row.name, "project_id": row.project_id,
            "tenant_id": row.project_id, "status": row.status,
            "admin_state_up": row.admin_state_up, "external_gateway_info": gateway,
            "availability_zone_hints": [], "availability_zones": ["nova"],
            **_standard(row)}


def floating_ip(row, port_details: dict | None) -> dict:
    return {"id": row.id, "project_id": row.project_id, "tenant_id": row.project_id,
            "floating_network_id": row.floating_network_id,
            "floating_ip_address": row.floating_ip_address, "port_id": row.fixed_port_id,
            "fixed_ip_address": row.fixed_ip_address, "router_id": row.router_id,
            "status": row.status, "port_details": port_details, **_standard(row)}
