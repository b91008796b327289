"""Query parameters of the identity API's lists."""


def flag(query, key: str) -> bool | None:
    """Keystone's booleans in queries: present (any value but 0/false) is true."""
    if key not in query:
        return None
    return query[key].strip().lower() not in ("0", "false")
