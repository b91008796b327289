"""JSON Schemas of the identity API's request bodies, and a validator whose messages name
the field but never repeat its value: bodies carry passwords and tokens."""

import jsonschema

from novalite.api.faults import HTTPError

_STRING = {"type": "string"}
_NAME = {"type": "string", "minLength": 1, "maxLength": 255}
_PASSWORD = {"type": "string", "maxLength": 4096}
_ID = {"type": ["string", "null"], "maxLength": 64}
_DOMAIN_REF = {"type": "object", "properties": {"id": _STRING, "name": _STRING}}

AUTH = {
    "type": "object", "required": ["auth"],
    "properties": {"auth": {
        "type": "object", "required": ["identity"],
        "properties": {
            "identity": {
                "type": "object", "required": ["methods"],
                "properties": {
                    "methods": {"type": "array", "items": _STRING, "minItems": 1},
                    "password": {
                        "type": "object", "required": ["user"],
                        "properties": {"user": {
                            "type": "object", "required": ["password"],
                            "properties": {"id": _STRING, "name": _STRING,
                                           "password": _PASSWORD, "domain": _DOMAIN_REF}}}},
                    "token": {"type": "object", "required": ["id"],
                              "properties": {"id": _STRING}},
                },
            },
            "scope": {"anyOf": [
                {"type": "string", "enum": ["unscoped"]},
                {"type": "object",
                 "properties": {"project": {
                     "type": "object",
                     "properties": {"id": _STRING, "name": _STRING, "domain": _DOMAIN_REF}}}},
            ]},
        },
    }},
}

PROJECT_CREATE = {
    "type": "object", "required": ["project"],
    "properties": {"project": {
        "type": "object", "required": ["name"],
        "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 64},
                       "description": {"type": ["string", "null"]},
                       "enabled": {"type": "boolean"}, "domain_id": _ID, "parent_id": _ID,
                       "is_domain": {"type": "boolean"},
                       "tags": {"type": "array", "items": _STRING},
                       "options": {"type": "object"}}}},
}

PROJECT_UPDATE = {
    "type": "object", "required": ["project"],
    "properties": {"project": {
        "type": "object",
        "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 64},
                       "description": {"type": ["string", "null"]},
                       "enabled": {"type": "boolean"}}}},
}

_USER_PROPERTIES = {"name": _NAME, "password": {"type": ["string", "null"], "maxLength": 4096},
                    "enabled": {"type": "boolean"}, "default_project_id": _ID,
                    "domain_id": _ID, "description": {"type": ["string", "null"]},
                    "email": {"type": ["string", "null"]}, "options": {"type": "object"}}

USER_CREATE = {
    "type": "object", "required": ["user"],
    "properties": {"user": {"type": "object", "required": ["name"],
                            "properties": _USER_PROPERTIES}},
}

USER_UPDATE = {
    "type": "object", "required": ["user"],
    "properties": {"user": {"type": "object", "properties": _USER_PROPERTIES}},
}

PASSWORD_CHANGE = {
    "type": "object", "required": ["user"],
    "properties": {"user": {"type": "object", "required": ["password", "original_password"],
                            "properties": {"password": _PASSWORD,
                                           "original_password": _PASSWORD}}},
}

ROLE_CREATE = {
    "type": "object", "required": ["role"],
    "properties": {"role": {"type": "object", "required": ["name"],
                            "properties": {"name": _NAME,
                                           "description": {"type": ["string", "null"]},
                                           "domain_id": {"type": "null"},
                                           "options": {"type": "object"}}}},
}

_validators: dict[int, jsonschema.Draft4Validator] = {}


def validate(schema: dict, body) -> None:
    """400 naming the first bad field, without echoing what it held."""
    validator = _validators.get(id(schema))
    if validator is None:
        validator = _validators[id(schema)] = jsonschema.Draft4Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is None:
        return
    path = ".".join(str(p) for p in error.absolute_path) or "request body"
    if error.validator == "required":
        # The message names the missing property only.
        raise HTTPError(400, "Invalid input for field '%s': %s" % (path, error.message))
    if error.validator == "additionalProperties":
        raise HTTPError(400, "Invalid input for field '%s': unexpected property." % path)
    expected = error.validator_value if error.validator in (
        "type", "minLength", "maxLength", "minItems", "enum") else None
    raise HTTPError(400, "Invalid input for field '%s': the value fails '%s'%s." % (
        path, error.validator, " (%s)" % (expected,) if expected is not None else ""))
