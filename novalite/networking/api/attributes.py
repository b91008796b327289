"""Each resource's attributes, as Neutron's attribute maps: the JSON type, whether a POST
or a PUT may set it, and how a filter value is read. Bodies are checked against schemas
built from these (jsonschema), with Neutron's messages."""

import jsonschema

from novalite.networking import exceptions

_STRING = {"type": "string", "maxLength": 255}
_NULLABLE_STRING = {"type": ["string", "null"], "maxLength": 255}
_BOOL = {"type": "boolean"}
_UUID = {"type": "string", "pattern": "^[0-9a-fA-F-]{32,36}$"}
_OBJECTS = {"type": ["array", "null"], "items": {"type": "object"}}
_STRINGS = {"type": ["array", "null"], "items": {"type": "string"}}

# name: (schema, allow_post, allow_put, filter type: "str" | "bool" | "int" | None)
_STANDARD = {
    "id": (_UUID, False, False, "str"),
    "tags": ({"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 255,
                                         "pattern": "^[^,]*$"}}, True, False, None),
    "name": (_STRING, True, True, "str"),
    "description": (_STRING, True, True, "str"),
    "project_id": (_STRING, True, False, "str"),
    "tenant_id": (_STRING, True, False, "str"),
    "created_at": (None, False, False, None),
    "updated_at": (None, False, False, None),
    "revision_number": (None, False, False, "int"),
}

NETWORK = {
    **_STANDARD,
    "admin_state_up": (_BOOL, True, True, "bool"),
    "status": (None, False, False, "str"),
    "shared": (_BOOL, True, True, "bool"),
    "router:external": (_BOOL, True, True, "bool"),
    "is_default": (_BOOL, True, True, "bool"),
    "mtu": ({"type": "integer", "minimum": 68, "maximum": 9216}, True, True, "int"),
    "port_security_enabled": (_BOOL, True, True, "bool"),
    "provider:network_type": ({"type": ["string", "null"], "enum": [
        None, "local", "flat", "vlan", "vxlan", "geneve", "gre"]}, True, False, "str"),
    "provider:physical_network": (_NULLABLE_STRING, True, False, "str"),
    "provider:segmentation_id": ({"type": ["integer", "null"], "minimum": 1,
                                  "maximum": 16777215}, True, False, "int"),
    "availability_zone_hints": ({"type": "array", "maxItems": 0}, True, False, None),
    "subnets": (None, False, False, None),
}

SUBNET = {
    **_STANDARD,
    "network_id": (_UUID, True, False, "str"),
    "ip_version": ({"type": "integer", "enum": [4, 6]}, True, False, "int"),
    "cidr": ({"type": "string", "maxLength": 64}, True, False, "str"),
    "gateway_ip": ({"type": ["string", "null"], "maxLength": 64}, True, True, "str"),
    "enable_dhcp": (_BOOL, True, True, "bool"),
    "allocation_pools": ({"type": ["array", "null"], "items": {
        "type": "object", "required": ["start", "end"],
        "properties": {"start": {"type": "string"}, "end": {"type": "string"}},
        "additionalProperties": False}}, True, True, None),
    "dns_nameservers": (_STRINGS, True, True, None),
    "host_routes": (_OBJECTS, True, True, None),
    "ipv6_ra_mode": ({"type": ["string", "null"], "enum": [
        None, "slaac", "dhcpv6-stateful", "dhcpv6-stateless"]}, True, False, "str"),
    "ipv6_address_mode": ({"type": ["string", "null"], "enum": [
        None, "slaac", "dhcpv6-stateful", "dhcpv6-stateless"]}, True, False, "str"),
    "subnetpool_id": ({"type": "null"}, True, False, "str"),
    "segment_id": ({"type": "null"}, True, False, None),
    "service_types": ({"type": "array", "maxItems": 0}, True, True, None),
    "dns_publish_fixed_ip": ({"type": "boolean", "enum": [False]}, True, True, None),
}

PORT = {
    **_STANDARD,
    "network_id": (_UUID, True, False, "str"),
    "admin_state_up": (_BOOL, True, True, "bool"),
    "status": (None, False, False, "str"),
    "mac_address": ({"type": "string", "maxLength": 32}, True, True, "str"),
    "fixed_ips": ({"type": ["array", "null"], "items": {
        "type": "object", "properties": {"subnet_id": _UUID,
                                         "ip_address": {"type": "string"}},
        "additionalProperties": False}}, True, True, None),
    "device_id": (_STRING, True, True, "str"),
    "device_owner": (_STRING, True, True, "str"),
    "allowed_address_pairs": ({"type": ["array", "null"], "items": {
        "type": "object", "properties": {"ip_address": {"type": "string"},
                                         "mac_address": {"type": "string"}},
        "additionalProperties": False}}, True, True, None),
    "port_security_enabled": (_BOOL, True, True, "bool"),
    "binding:host_id": (_NULLABLE_STRING, True, True, "str"),  # Nova unbinds with null
    "binding:vnic_type": ({"type": "string", "enum": [
        "normal", "direct", "macvtap", "baremetal", "direct-physical", "virtio-forwarder",
        "smart-nic", "remote-managed", "vdpa"]}, True, True, "str"),
    "binding:profile": ({"type": ["object", "null"]}, True, True, None),
    "binding:vif_type": (None, False, False, "str"),
    "binding:vif_details": (None, False, False, None),
    "ip_allocation": (None, False, False, None),
    "security_groups": ({"type": ["array", "null"], "items": _UUID}, True, True, None),
}

SECURITY_GROUP = {
    **_STANDARD,
    "stateful": (_BOOL, True, True, "bool"),
    "security_group_rules": (None, False, False, None),
}

# Ranges are the domain's to check, with Neutron's own messages.
_PORT_NUMBER = {"type": ["integer", "null"]}
SECURITY_GROUP_RULE = {
    **{k: v for k, v in _STANDARD.items() if k != "name"},
    "security_group_id": (_UUID, True, False, "str"),
    "direction": ({"type": "string", "enum": ["ingress", "egress"]}, True, False, "str"),
    "ethertype": ({"type": "string", "enum": ["IPv4", "IPv6"]}, True, False, "str"),
    "protocol": ({"type": ["string", "integer", "null"]}, True, False, "str"),
    "port_range_min": (_PORT_NUMBER, True, False, "int"),
    "port_range_max": (_PORT_NUMBER, True, False, "int"),
    "remote_ip_prefix": ({"type": ["string", "null"], "maxLength": 64}, True, False, "str"),
    # Not a format check: a group that is not there is a 404, as in Neutron.
    "remote_group_id": ({"type": ["string", "null"], "maxLength": 255}, True, False, "str"),
    "belongs_to_default_sg": (None, False, False, "bool"),
}

ROUTER = {
    **_STANDARD,
    "admin_state_up": (_BOOL, True, True, "bool"),
    "status": (None, False, False, "str"),
    "external_gateway_info": ({"type": ["object", "null"], "properties": {
        "network_id": _UUID, "enable_snat": _BOOL,
        "external_fixed_ips": {"type": "array", "items": {
            "type": "object", "properties": {"subnet_id": _UUID,
                                             "ip_address": {"type": "string"}},
            "additionalProperties": False}}},
        "additionalProperties": False}, True, True, None),
    "availability_zone_hints": ({"type": "array", "maxItems": 0}, True, False, None),
}

FLOATING_IP = {
    **{k: v for k, v in _STANDARD.items() if k != "name"},
    "floating_network_id": (_UUID, True, False, "str"),
    "floating_ip_address": ({"type": ["string", "null"], "maxLength": 64}, True, False,
                            "str"),
    "subnet_id": ({"type": ["string", "null"], "pattern": "^[0-9a-fA-F-]{32,36}$"}, True,
                  False, None),
    "port_id": ({"type": ["string", "null"], "pattern": "^[0-9a-fA-F-]{32,36}$"}, True, True,
                "str"),
    "fixed_ip_address": ({"type": ["string", "null"], "maxLength": 64}, True, True, "str"),
    "router_id": (None, False, False, "str"),
    "status": (None, False, False, "str"),
    "port_details": (None, False, False, None),
}

AGENT = {  # (schema, POST, PUT, filter type): administrators change two of them
    "id": (None, False, False, "str"),
    "agent_type": (None, False, False, "str"),
    "binary": (None, False, False, "str"),
    "topic": (None, False, False, "str"),
    "host": (None, False, False, "str"),
    "availability_zone": (None, False, False, "str"),
    "admin_state_up": ({"type": "boolean"}, False, True, "bool"),
    "description": (_STRING, False, True, "str"),
}

REQUIRED = {"network": (), "subnet": ("network_id", "ip_version"), "port": ("network_id",),
            "security_group": (), "security_group_rule": ("security_group_id", "direction"),
            "router": (), "floatingip": ("floating_network_id",), "agent": ()}
ATTRIBUTES = {"network": NETWORK, "subnet": SUBNET, "port": PORT,
              "security_group": SECURITY_GROUP, "security_group_rule": SECURITY_GROUP_RULE,
              "router": ROUTER, "floatingip": FLOATING_IP, "agent": AGENT}


def _schema(attributes: dict, method: str) -> dict:
    index = 1 if method == "POST" else 2
    return {"type": "object",
            "properties": {k: v[0] for k, v in attributes.items() if v[index] and v[0]}}


_VALIDATORS = {(name, method): jsonschema.Draft4Validator(_schema(attrs, method))
               for name, attrs in ATTRIBUTES.items() for method in ("POST", "PUT")}


def check_body(resource: str, method: str, body) -> dict:
    """The resource's attributes from {"<resource>": {...}}, or Neutron's 400s."""
    if not isinstance(body, dict) or not isinstance(body.get(resource), dict) or \
            len(body) != 1:
        raise exceptions.HTTPBadRequest(message="Resource body required" if not body else
                                        "Unable to find '%s' in request body" % resource)
    values = body[resource]
    attributes = ATTRIBUTES[resource]
    index = 1 if method == "POST" else 2
    unknown = sorted(k for k in values if k not in attributes)
    if unknown:
        raise exceptions.HTTPBadRequest(message="Unrecognized attribute(s) '%s'"
                                        % ", ".join(unknown))
    for key in values:
        if not attributes[key][index]:
            raise exceptions.HTTPBadRequest(message="Attribute '%s' not allowed in %s"
                                            % (key, method))
    if method == "POST":
        for key in REQUIRED[resource]:
            if key not in values:
                raise exceptions.HTTPBadRequest(message="Failed to parse request. Required "
                                                "attribute '%s' not specified" % key)
    error = jsonschema.exceptions.best_match(_VALIDATORS[resource, method].iter_errors(values))
    if error is not None:
        name = error.absolute_path[0] if error.absolute_path else resource
        raise exceptions.InvalidInput(error_message="Invalid input for %s. Reason: %s"
                                      % (name, _reason(error)))
    return values


def _reason(error) -> str:
    if error.validator == "type" and error.validator_value in ("boolean", ["boolean"]):
        return "'%s' is not a valid boolean value" % (error.instance,)
    return error.message


def filter_value(resource: str, key: str, value: str):
    """A query value as the attribute's type, or None when `key` cannot filter."""
    spec = ATTRIBUTES[resource].get(key)
    if spec is None or spec[3] is None:
        return None
    kind = spec[3]
    if kind == "bool":
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes", "on"):
            return True
        if lowered in ("false", "0", "no", "off"):
            return False
        raise exceptions.InvalidInput(error_message="Invalid input for %s. Reason: '%s' is "
                                      "not a valid boolean value" % (key, value))
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            raise exceptions.InvalidInput(error_message="Invalid input for %s. Reason: '%s' "
                                          "is not an integer" % (key, value)) from None
    return value
