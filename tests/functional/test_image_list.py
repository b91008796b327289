"""GET /v2/images as Glance: hidden images, created_at/updated_at comparison filters and
multi-key sorting with stable paging; bad parameters are 400s in Glance's error format."""

import datetime
import uuid

import httpx
import pytest

from novalite.cmd.serve import AllInOne
from novalite.db.models import images
from tests.cloud import make_conf

PATCH = {"Content-Type": "application/openstack-images-v2.1-json-patch"}


@pytest.fixture(scope="module")
def aio(tmp_path_factory):
    aio = AllInOne(make_conf(tmp_path_factory.mktemp("state")), computes=1)
    aio.start_in_thread()
    yield aio
    aio.stop()


@pytest.fixture
def project():
    """A fresh project per test: its own images are all it lists (the demo image aside,
    which the tests filter out by tag)."""
    return {"X-Auth-Token": "u:" + uuid.uuid4().hex[:8]}


@pytest.fixture(scope="module")
def glance(aio):
    with httpx.Client(base_url=aio.image_url, timeout=30) as client:
        yield client


def _create(glance, headers, **body):
    resp = glance.post("/v2/images", json={"disk_format": "raw", "container_format": "bare",
                                           "tags": ["t"], **body}, headers=headers)
    assert resp.status_code == 201, resp.text
    return resp.json()


def _names(glance, headers, **params):
    resp = glance.get("/v2/images", params={"tag": "t", **params}, headers=headers)
    assert resp.status_code == 200, resp.text
    return [i["name"] for i in resp.json()["images"]]


def test_hidden_images_are_listed_only_on_request(glance, project):
    shown = _create(glance, project, name="shown")
    hidden = _create(glance, project, name="hidden", os_hidden=True)
    assert shown["os_hidden"] is False and hidden["os_hidden"] is True
    assert _names(glance, project) == ["shown"]
    assert _names(glance, project, os_hidden="true") == ["hidden"]
    assert _names(glance, project, os_hidden="false") == ["shown"]
    # Still there by id, and PATCH hides or shows an image.
    assert glance.get(hidden["self"], headers=project).json()["os_hidden"] is True
    resp = glance.patch(shown["self"], json=[{"op": "replace", "path": "/os_hidden",
                                              "value": True}], headers={**project, **PATCH})
    assert resp.status_code == 200 and resp.json()["os_hidden"] is True
    assert _names(glance, project) == []
    assert sorted(_names(glance, project, os_hidden="true")) == ["hidden", "shown"]
    assert glance.get("/v2/images", params={"os_hidden": "yes"},
                      headers=project).status_code == 400
    bad = glance.patch(shown["self"], json=[{"op": "replace", "path": "/os_hidden",
                                             "value": "true"}], headers={**project, **PATCH})
    assert bad.status_code == 400
    assert glance.post("/v2/images", json={"os_hidden": 1}, headers=project).status_code == 400


def test_hidden_images_are_left_out_of_novas_image_list(aio, glance, project):
    hidden = _create(glance, project, name="hidden-from-nova", os_hidden=True)
    with httpx.Client(base_url=aio.compute_url, headers=project, timeout=30) as nova:
        listed = nova.get("/images").json()["images"]
        assert hidden["id"] not in [i["id"] for i in listed]
        assert nova.get("/images/" + hidden["id"]).status_code == 200


def _set_times(aio, image, created, updated):
    # The API stamps the times itself; these tests need times they chose.
    with aio.database.writer() as conn:
        conn.execute(images.update().where(images.c.id == image["id"])
                     .values(created_at=created, updated_at=updated))


def test_time_comparison_filters(aio, glance, project):
    times = {"old": datetime.datetime(2020, 1, 1), "mid": datetime.datetime(2024, 6, 1, 12),
             "new": datetime.datetime(2026, 3, 1)}
    for name, when in times.items():
        _set_times(aio, _create(glance, project, name=name), when,
                   when + datetime.timedelta(days=1))
    cases = [
        ("created_at", "gt:2024-06-01T12:00:00Z", {"new"}),
        ("created_at", "gte:2024-06-01T12:00:00Z", {"mid", "new"}),
        ("created_at", "eq:2024-06-01T12:00:00Z", {"mid"}),
        ("created_at", "2024-06-01T12:00:00Z", {"mid"}),  # no operator: eq
        ("created_at", "neq:2024-06-01T12:00:00Z", {"old", "new"}),
        ("created_at", "lt:2024-06-01T12:00:00Z", {"old"}),
        ("created_at", "lte:2024-06-01T12:00:00", {"old", "mid"}),  # no zone: UTC
        ("created_at", "gt:2024-06-01T14:00:00+02:00", {"new"}),  # 12:00 UTC
        ("created_at", "lt:2024-06-01T15:00:00+02:00", {"old", "mid"}),  # 13:00 UTC
        ("updated_at", "gte:2024-06-02", {"mid", "new"}),
        ("updated_at", "lt:2020-01-02T00:00:01Z", {"old"}),
    ]
    for key, value, expected in cases:
        assert set(_names(glance, project, **{key: value})) == expected, (key, value)
    # Two conditions make a range.
    resp = glance.get("/v2/images", params=[("tag", "t"), ("created_at", "gt:2021-01-01"),
                                            ("created_at", "lt:2025-01-01")],
                      headers=project)
    assert [i["name"] for i in resp.json()["images"]] == ["mid"]


@pytest.mark.parametrize("value", ["between:2024-01-01T00:00:00Z", "gt:yesterday",
                                   "gt:", "2024-13-01", "gt:2024-01-01T25:00:00Z", "gt"])
def test_bad_time_filters_are_400(glance, project, value):
    for key in ("created_at", "updated_at"):
        resp = glance.get("/v2/images", params={key: value}, headers=project)
        assert resp.status_code == 400, (key, value, resp.text)
        assert resp.text.startswith("400 Bad Request\n\n") and key in resp.text


def _pages(glance, headers, params, limit):
    seen, url, query = [], "/v2/images", [("tag", "t"), ("limit", limit), *params]
    while url:
        body = glance.get(url, params=query, headers=headers).json()
        seen += body["images"]
        url, query = body.get("next"), None  # next carries the query
    return seen


def test_sort_by_several_keys_and_page_through(glance, project):
    # Names and min_ram repeat: the tie-breakers (created_at, then id) keep pages stable.
    rows = [("b", 1), ("a", 2), ("b", 3), ("a", 1), ("c", 2), ("a", 2), ("a", 2)]
    for name, min_ram in rows:
        _create(glance, project, name=name, min_ram=min_ram)
    want = sorted(rows, key=lambda r: (r[0], -r[1]))
    new = [("sort", "name:asc,min_ram:desc")]
    old = [("sort_key", "name"), ("sort_dir", "asc"), ("sort_key", "min_ram"),
           ("sort_dir", "desc")]
    whole = [i["id"] for i in _pages(glance, project, new, 100)]
    assert len(set(whole)) == len(rows)
    for params in (new, old):
        for limit in (1, 2, 3, 7):
            images = _pages(glance, project, params, limit)
            assert [(i["name"], i["min_ram"]) for i in images] == want, (params, limit)
            assert [i["id"] for i in images] == whole, (params, limit)


def test_sort_defaults(glance, project):
    for name in ("x", "z", "y"):
        _create(glance, project, name=name)
    assert _names(glance, project, sort="name") == ["z", "y", "x"]  # desc by default
    assert _names(glance, project, sort_key="name") == ["z", "y", "x"]
    one_dir = [("tag", "t"), ("sort_key", "name"), ("sort_key", "id"), ("sort_dir", "asc")]
    resp = glance.get("/v2/images", params=one_dir, headers=project)
    assert [i["name"] for i in resp.json()["images"]] == ["x", "y", "z"]  # one dir for all
    assert _names(glance, project) == ["y", "z", "x"]  # newest first


@pytest.mark.parametrize("params", [
    {"sort": "name:up"}, {"sort": "colour:asc"}, {"sort": "name:asc,"}, {"sort": ""},
    {"sort_key": "colour"}, {"sort_dir": "sideways"},
    {"sort": "name", "sort_key": "name"}, {"sort": "name", "sort_dir": "asc"},
    [("sort_key", "name"), ("sort_key", "id"), ("sort_key", "size"),
     ("sort_dir", "asc"), ("sort_dir", "desc")],
])
def test_bad_sorts_are_400(glance, project, params):
    resp = glance.get("/v2/images", params=params, headers=project)
    assert resp.status_code == 400, (params, resp.text)
    assert resp.text.startswith("400 Bad Request\n\n")
