"""Request bodies of the image-making actions: createImage, createBackup (Nova's) and
backup_instance (a novalite extension)."""

from novalite.api.compute.validation import DESCRIPTION, METADATA, NAME, NON_NEGATIVE_INTEGER

CREATE_IMAGE = {
    "type": "object",
    "properties": {
        "createImage": {
            "type": "object",
            "properties": {"name": NAME, "metadata": METADATA},
            "required": ["name"],
            "additionalProperties": False,
        },
    },
    "required": ["createImage"],
    "additionalProperties": False,
}

CREATE_BACKUP = {
    "type": "object",
    "properties": {
        "createBackup": {
            "type": "object",
            "properties": {"name": NAME, "backup_type": {"type": "string"},
                           "rotation": NON_NEGATIVE_INTEGER, "metadata": METADATA},
            "required": ["name", "backup_type", "rotation"],
            "additionalProperties": False,
        },
    },
    "required": ["createBackup"],
    "additionalProperties": False,
}

BACKUP_INSTANCE = {
    "type": "object",
    "properties": {"name": NAME, "description": DESCRIPTION},
    "required": ["name"],
    "additionalProperties": False,
}
