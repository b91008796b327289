"""The network API of an all-in-one cloud, spoken to as Neutron's clients do (noauth2
tokens 'user:project[:reader]'; 'admin' is an administrator)."""

import httpx
import pytest


class NetworkClient:
    def __init__(self, base_url: str, token: str):
        self.http = httpx.Client(base_url=base_url, headers={"X-Auth-Token": token},
                                 timeout=30)

    def get(self, path, **kw):
        return self.http.get("/v2.0" + path, **kw)

    def post(self, path, json=None, **kw):
        return self.http.post("/v2.0" + path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.http.put("/v2.0" + path, json=json, **kw)

    def delete(self, path, **kw):
        return self.http.delete("/v2.0" + path, **kw)

    def make(self, resource: str, expect=201, **attrs) -> dict:
        resp = self.post("/%ss" % resource.replace("_", "-"), json={resource: attrs})
        assert resp.status_code == expect, resp.text
        return resp.json()[resource] if expect == 201 else resp.json()


def neutron_error(resp, status: int, error_type: str, *fragments) -> dict:
    assert resp.status_code == status, resp.text
    error = resp.json()["NeutronError"]
    assert error["type"] == error_type, error
    assert error["detail"] == ""
    for fragment in fragments:
        assert fragment in error["message"], (fragment, error["message"])
    return error


@pytest.fixture(scope="module")
def network_client(cloud):
    made = []

    def get(user="demo", project="demo", persona=None):
        token = "%s:%s" % (user, project) + (":" + persona if persona else "")
        client = NetworkClient(cloud.network_url, token)
        made.append(client)
        return client

    yield get
    for client in made:
        client.http.close()


@pytest.fixture(scope="module")
def net_demo(network_client):
    return network_client("demo", "demo")


@pytest.fixture(scope="module")
def net_admin(network_client):
    return network_client("admin", "admin")


@pytest.fixture(scope="module")
def net_other(network_client):
    return network_client("alice", "other")
