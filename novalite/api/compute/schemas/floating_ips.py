"""Request schema for POST /os-floating-ips, as Nova's schemas/floating_ips.py: no body, or
an optional pool (an external network's name or id)."""

CREATE = {
    "type": ["object", "null"],
    "properties": {"pool": {"type": ["string", "null"]}},
}
