"""A route table: path templates -> {METHOD: handler}, with automatic 405s."""

import re


class Router:
    def __init__(self, routes: list[tuple[str, dict]]):
        self._routes = []
        for template, methods in routes:
            pattern = re.sub(r"{(\w+)}", r"(?P<\1>[^/]+)", template)
            self._routes.append((re.compile("^" + pattern + "/?$"), methods))

    def match(self, method: str, path: str):
        """(handler, params), or (None, allowed methods) if the path exists but the method
        does not, or (None, None) for an unknown path."""
        for pattern, methods in self._routes:
            found = pattern.match(path)
            if found:
                handler = methods.get(method) or (methods.get("GET") if method == "HEAD"
                                                  else None)
                if handler is None:
                    if path.endswith("/") and len(path) > 1:
                        # "DELETE /images/" names a member with a blank id: 404, as Nova
                        return None, None
                    return None, sorted(methods)
                return handler, found.groupdict()
        return None, None
