"""GET /servers and /servers/detail: paging with limit/marker and *_links, sorting, filters.

The project "lister" holds exactly five servers (list-1 .. list-5), one of them stopped."""

import datetime
import urllib.parse

import pytest

from tests.functional.helpers import assert_fault

NAMES = ["list-1", "list-2", "list-3", "list-4", "list-5"]


@pytest.fixture(scope="module")
def lister(make_client):
    return make_client("lister", "lister")


@pytest.fixture(scope="module")
def servers(lister):
    """name -> id; list-5 is SHUTOFF, the others ACTIVE."""
    image = lister.image_id()
    resp = lister.post("/servers", json={"server": {
        "name": "list", "imageRef": image, "flavorRef": "1", "networks": "auto",
        "min_count": 5, "max_count": 5}})
    assert resp.status_code == 202, resp.text
    listed = lister.get("/servers").json()["servers"]
    by_name = {s["name"]: s["id"] for s in listed}
    assert sorted(by_name) == NAMES
    for server_id in by_name.values():
        lister.wait_for(server_id, "ACTIVE")
    resp = lister.post("/servers/%s/action" % by_name["list-5"], json={"os-stop": None})
    assert resp.status_code == 202
    lister.wait_for(by_name["list-5"], "SHUTOFF")
    return by_name


def _names(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [s["name"] for s in resp.json()["servers"]]


def _follow(lister, path, **params):
    """Walk the pages as openstacksdk does; returns (pages of ids, requests made)."""
    pages = []
    resp = lister.get(path, params=params)
    while True:
        assert resp.status_code == 200, resp.text
        body = resp.json()
        pages.append([s["id"] for s in body["servers"]])
        links = body.get("servers_links")
        if not links:
            return pages
        (link,) = links
        assert link["rel"] == "next"
        resp = lister.http.get(link["href"])


@pytest.mark.parametrize("path", ["/servers", "/servers/detail"])
def test_pages_follow_next_links(lister, servers, path):
    pages = _follow(lister, path, limit=2)
    assert [len(p) for p in pages] == [2, 2, 1]
    ids = [i for page in pages for i in page]
    assert sorted(ids) == sorted(servers.values())
    whole = [s["id"] for s in lister.get(path).json()["servers"]]
    assert ids == whole  # the same order as one big page


def test_next_link_keeps_the_query_and_the_collection(lister, servers):
    body = lister.get("/servers/detail", params={"limit": 2, "status": "ACTIVE"}).json()
    (link,) = body["servers_links"]
    url = urllib.parse.urlsplit(link["href"])
    assert url.path == "/v2.1/servers/detail"
    query = urllib.parse.parse_qs(url.query)
    assert query == {"limit": ["2"], "status": ["ACTIVE"],
                     "marker": [body["servers"][-1]["id"]]}


def test_a_full_last_page_then_an_empty_page(lister, servers):
    """With limit equal to what is left, the page is full, so a next link comes back; and
    openstacksdk asks once more with marker=<last id>: that page is empty, with no link."""
    first = lister.get("/servers", params={"limit": 5}).json()
    assert len(first["servers"]) == 5
    (link,) = first["servers_links"]
    last_id = first["servers"][-1]["id"]
    assert "marker=" + last_id in link["href"]
    resp = lister.get("/servers", params={"limit": 5, "marker": last_id})
    assert resp.status_code == 200
    assert resp.json() == {"servers": []}


def test_no_link_when_the_page_is_not_full(lister, servers):
    body = lister.get("/servers", params={"limit": 10}).json()
    assert len(body["servers"]) == 5
    assert "servers_links" not in body


def test_unknown_marker_is_400(lister, servers):
    resp = lister.get("/servers", params={"marker": "no-such-server"})
    assert_fault(resp, 400, "badRequest", "marker [no-such-server] not found")


def test_default_order_is_newest_first(lister, servers):
    created = [s["created"] for s in lister.get("/servers/detail").json()["servers"]]
    assert created == sorted(created, reverse=True)


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_sort_by_name(lister, servers, direction):
    resp = lister.get("/servers", params={"sort_key": "display_name", "sort_dir": direction})
    assert _names(resp) == sorted(NAMES, reverse=direction == "desc")


def test_sort_and_page_together(lister, servers):
    pages = _follow(lister, "/servers", sort_key="display_name", sort_dir="asc", limit=2)
    by_id = {v: k for k, v in servers.items()}
    assert [[by_id[i] for i in page] for page in pages] == [NAMES[:2], NAMES[2:4], NAMES[4:]]


def test_sort_by_two_keys(lister, servers):
    resp = lister.get("/servers/detail", params=[("sort_key", "vm_state"),
                                                 ("sort_dir", "desc"),
                                                 ("sort_key", "display_name"),
                                                 ("sort_dir", "asc")])
    assert _names(resp) == ["list-5"] + NAMES[:4]  # stopped > active, then by name


def test_name_is_a_regular_expression(lister, servers):
    assert sorted(_names(lister.get("/servers", params={"name": "^list-[12]$"}))) == \
        ["list-1", "list-2"]
    assert _names(lister.get("/servers", params={"name": "list-3"})) == ["list-3"]
    assert sorted(_names(lister.get("/servers", params={"name": "list"}))) == NAMES
    assert _names(lister.get("/servers", params={"name": "^nothing"})) == []


def test_status_filter(lister, servers):
    assert _names(lister.get("/servers", params={"status": "SHUTOFF"})) == ["list-5"]
    assert sorted(_names(lister.get("/servers", params={"status": "active"}))) == NAMES[:4]
    both = lister.get("/servers", params=[("status", "ACTIVE"), ("status", "SHUTOFF")])
    assert sorted(_names(both)) == NAMES
    assert _names(lister.get("/servers", params={"status": "ERROR"})) == []


def test_unknown_status_is_400_from_2_38(make_client, lister, servers):
    assert_fault(lister.get("/servers", params={"status": "SIDEWAYS"}), 400, "badRequest",
                 "status")
    old = make_client("lister", "lister", version="2.37")
    assert old.get("/servers", params={"status": "SIDEWAYS"}).json() == {"servers": []}


def test_changes_since_and_changes_before(lister, servers):
    since = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    resp = lister.put("/servers/" + servers["list-3"], json={"server": {"name": "list-3"}})
    assert resp.status_code == 200
    stamp = since.isoformat() + "Z"
    assert _names(lister.get("/servers", params={"changes-since": stamp})) == ["list-3"]
    before = lister.get("/servers", params={"changes-before": stamp})
    assert sorted(_names(before)) == ["list-1", "list-2", "list-4", "list-5"]
    future = (since + datetime.timedelta(days=1)).isoformat() + "+00:00"
    assert _names(lister.get("/servers", params={"changes-since": future})) == []


def test_ip_is_a_regular_expression_over_fixed_addresses(lister, servers):
    detail = lister.get("/servers/detail").json()["servers"]
    address = {s["name"]: a["addr"] for s in detail
               for a in next(iter(s["addresses"].values()))}
    longest = max(address.values(), key=len)
    owner = next(name for name, a in address.items() if a == longest)
    # Anchored at the start, as Nova's re.match: the address itself finds its server.
    assert owner in _names(lister.get("/servers", params={"ip": longest}))
    assert all(name == owner or not address[name].startswith(longest)
               for name in _names(lister.get("/servers", params={"ip": longest})))
    prefix = longest.rsplit(".", 1)[0] + r"\."
    assert sorted(_names(lister.get("/servers", params={"ip": prefix}))) == NAMES
    paged = lister.get("/servers", params={"ip": prefix, "limit": 2})
    assert len(_names(paged)) == 2 and "servers_links" in paged.json()
    assert _names(lister.get("/servers", params={"ip": "^192\\.0\\.2\\."})) == []
    assert _names(lister.get("/servers", params={"ip6": "fd00:"})) == []  # IPv4 only here
    assert_fault(lister.get("/servers", params={"ip": "10.(["}), 400, "badRequest",
                 "Invalid ip filter")
