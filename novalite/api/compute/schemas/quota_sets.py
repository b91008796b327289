"""Request body schemas for PUT /os-quota-sets/{project_id}, as Nova's
schemas/quota_sets.py: which keys a version accepts. (The handler checks the range: JSON
Schema's minimum and maximum do not apply to numbers sent as strings.)"""

from novalite.api.compute.validation import BOOLEAN

# Number, or digits in a string, as Nova; -1 is unlimited.
LIMIT = {"type": ["integer", "string"], "pattern": "^-?[0-9]+$", "minimum": -1,
         "maximum": 0x7FFFFFFF}
MAX_LIMIT = 0x7FFFFFFF

NETWORK_KEYS = ("fixed_ips", "floating_ips", "security_groups", "security_group_rules")
INJECTED_FILE_KEYS = ("injected_files", "injected_file_content_bytes",
                      "injected_file_path_bytes")
_KEYS = ("instances", "cores", "ram", "metadata_items", "key_pairs", "server_groups",
         "server_group_members") + INJECTED_FILE_KEYS + NETWORK_KEYS


def _update(keys) -> dict:
    properties = {key: LIMIT for key in keys}
    properties["force"] = BOOLEAN
    return {
        "type": "object",
        "properties": {"quota_set": {"type": "object", "properties": properties,
                                     "additionalProperties": False}},
        "required": ["quota_set"],
        "additionalProperties": False,
    }


# Before 2.36 "networks" (nova-network's) still passes the schema, to be refused by name.
UPDATE = _update(_KEYS + ("networks",))
UPDATE_V236 = _update(k for k in _KEYS if k not in NETWORK_KEYS)
UPDATE_V257 = _update(k for k in _KEYS if k not in NETWORK_KEYS + INJECTED_FILE_KEYS)


def update_schema(version) -> dict:
    if version.matches(2, 57):
        return UPDATE_V257
    return UPDATE_V236 if version.matches(2, 36) else UPDATE
