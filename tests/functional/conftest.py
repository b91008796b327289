import pytest

from novalite.cmd.serve import AllInOne
from tests.cloud import Client, make_conf


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    conf = make_conf(tmp_path_factory.mktemp("state"))
    aio = AllInOne(conf, computes=2)
    aio.start_in_thread()
    yield aio
    aio.stop()


@pytest.fixture
def demo(cloud):
    return Client(cloud.compute_url, "demo", "demo")


@pytest.fixture
def admin(cloud):
    return Client(cloud.compute_url, "admin", "admin")
