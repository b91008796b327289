"""The route table: first match wins, 405 with the allowed methods, 404 for unknown paths."""

import pytest

from novalite.api.compute import routes
from novalite.api.router import Router


def show(req, thing_id):
    pass


def index(req):
    pass


def create(req):
    pass


def detail(req):
    pass


ROUTER = Router([
    ("/things", {"GET": index, "POST": create}),
    ("/things/detail", {"GET": detail}),
    ("/things/{thing_id}", {"GET": show, "DELETE": show}),
])


@pytest.mark.parametrize("method, path, handler, params", [
    ("GET", "/things", index, {}),
    ("POST", "/things", create, {}),
    ("GET", "/things/", index, {}),  # a trailing slash is the same path
    ("GET", "/things/detail", detail, {}),  # fixed paths before {id}
    ("GET", "/things/abc-123", show, {"thing_id": "abc-123"}),
    ("DELETE", "/things/x", show, {"thing_id": "x"}),
    ("HEAD", "/things", index, {}),  # HEAD is served by GET
])
def test_matches(method, path, handler, params):
    assert ROUTER.match(method, path) == (handler, params)


@pytest.mark.parametrize("method, path, allowed", [
    ("PUT", "/things", ["GET", "POST"]),
    ("DELETE", "/things/detail", ["GET"]),
    ("POST", "/things/1", ["DELETE", "GET"]),
    ("HEAD", "/things/x", None),
])
def test_known_path_wrong_method_gives_the_allowed_methods(method, path, allowed):
    if allowed is None:  # HEAD falls back to GET, which exists
        assert ROUTER.match(method, path)[0] is show
        return
    assert ROUTER.match(method, path) == (None, allowed)


@pytest.mark.parametrize("path", ["/", "/thing", "/things/1/more", "/thingsx", "/other",
                                  "things", "/things//"])
def test_unknown_paths(path):
    assert ROUTER.match("GET", path) == (None, None)


def test_a_path_parameter_never_spans_segments():
    assert ROUTER.match("GET", "/things/a/b") == (None, None)


def test_head_without_get_is_405():
    router = Router([("/only-post", {"POST": create})])
    assert router.match("HEAD", "/only-post") == (None, ["POST"])


def test_compute_routes_put_fixed_paths_before_parameters():
    router = Router(routes.ROUTES)
    assert router.match("GET", "/servers/detail")[0].__name__ == "list_servers_detail"
    assert router.match("GET", "/flavors/detail")[0].__name__ == "list_flavors_detail"
    assert router.match("GET", "/os-hypervisors/statistics")[0].__name__ == \
        "hypervisor_statistics"
    handler, params = router.match("POST", "/servers/abc/action")
    assert handler.__name__ == "server_action" and params == {"server_id": "abc"}
    assert router.match("DELETE", "/servers/detail") == (None, ["GET"])


def test_compute_collections_are_the_first_segments():
    assert {"servers", "flavors", "images", "os-hypervisors", "os-services",
            "os-availability-zone"} <= routes.collections()
