"""Request body of the os-getConsoleOutput server action, as Nova's
schemas/console_output.py."""

GET_CONSOLE_OUTPUT = {
    "type": "object",
    "properties": {
        "os-getConsoleOutput": {
            "type": "object",
            "properties": {
                # Lines from the end; -1 (or null, or no length) means all of them.
                "length": {"type": ["integer", "string", "null"], "pattern": "^-?[0-9]+$",
                           "minimum": -1},
            },
            "additionalProperties": False,
        },
    },
    "required": ["os-getConsoleOutput"],
    "additionalProperties": False,
}
