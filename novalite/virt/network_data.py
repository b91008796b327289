"""network_data.json: the guest's network as Nova gives it on the config drive (and the
metadata service), from the server's network info, as nova/virt/netutils.py's
get_network_metadata. A VIF's subnets are there when the compute host added them
(NeutronAPI.add_subnet_details) because the guest gets a config drive."""

import ipaddress

# VIF types Nova names in the links (LEGACY_EXPOSED_VIF_TYPES); anything else is "phy".
_EXPOSED_TYPES = ("bridge", "dvs", "hw_veb", "hyperv", "ovs", "tap", "vhostuser", "vif")


def network_data(network_info) -> dict | None:
    if not network_info:
        return None
    links, networks, services = [], [], []
    for index, vif in enumerate(network_info):
        subnets = vif.get("subnets") or []
        chosen = [_first(subnets, vif, version) for version in (4, 6)]
        if not any(chosen):
            continue
        link = {"id": vif.get("devname") or "interface%d" % index, "vif_id": vif.get("id"),
                "type": vif.get("type") if vif.get("type") in _EXPOSED_TYPES else "phy",
                "mtu": vif.get("mtu"), "ethernet_mac_address": vif["mac"]}
        links.append(link)
        for subnet, address in filter(None, chosen):
            network = _network(vif, subnet, address, len(networks), link["id"])
            networks.append(network)
            services += [s for s in _dns(subnet) if s not in services]
    return {"links": links, "networks": networks, "services": services}


def _first(subnets, vif, version):
    """(subnet, the VIF's address in it) of the first subnet of that IP version."""
    for subnet in subnets:
        if subnet["ip_version"] != version:
            continue
        for ip in vif.get("ips", ()):
            if ip["type"] == "fixed" and ip.get("subnet_id") == subnet["id"]:
                return subnet, ip["address"]
    return None


def _network(vif, subnet, address, number, link_id) -> dict:
    version = subnet["ip_version"]
    mode = subnet.get("ipv6_address_mode")
    if not mode and subnet.get("dhcp_server"):
        return {"id": "network%d" % number, "type": "ipv%d_dhcp" % version, "link": link_id,
                "network_id": vif["network_id"]}
    cidr = ipaddress.ip_network(subnet["cidr"])
    out = {"id": "network%d" % number,
           "type": "ipv%d%s" % (version, "_" + mode if mode else ""), "link": link_id,
           "ip_address": address, "netmask": str(cidr.netmask),
           "routes": _default_route(version, subnet.get("gateway_ip")),
           "network_id": vif["network_id"]}
    for route in subnet.get("host_routes") or ():
        destination = ipaddress.ip_network(route["destination"])
        out["routes"].append({"network": str(destination.network_address),
                              "netmask": str(destination.netmask),
                              "gateway": route["nexthop"]})
    out["services"] = _dns(subnet)
    return out


def _default_route(version, gateway) -> list[dict]:
    if not gateway:
        return []
    anywhere = "0.0.0.0" if version == 4 else "::"
    return [{"network": anywhere, "netmask": anywhere, "gateway": gateway}]


def _dns(subnet) -> list[dict]:
    return [{"type": "dns", "address": a} for a in subnet.get("dns_nameservers") or ()]
