import pytest

from tests.functional.helpers import client_pool, running_cloud


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with running_cloud(tmp_path_factory.mktemp("state")) as aio:
        yield aio


@pytest.fixture(scope="module")
def make_client(cloud):
    """make_client(user, project[, version]): a client of the module's cloud, e.g. a fresh
    project whose server list only holds what the test booted."""
    with client_pool(cloud) as get:
        yield get


@pytest.fixture(scope="module")
def demo(make_client):
    return make_client("demo", "demo")


@pytest.fixture(scope="module")
def admin(make_client):
    return make_client("admin", "admin")


@pytest.fixture(scope="module")
def other(make_client):
    """A member of another project."""
    return make_client("alice", "other")
