"""Fixtures of the distributed tier: a fresh RabbitMQ vhost and a fresh database per cloud,
and the cloud itself as separate processes, once per database backend.

Without RabbitMQ, MariaDB or PostgreSQL on 127.0.0.1 the tests that need the missing
service skip, saying which one; with CI=true they fail instead, so CI cannot pass by
silently testing nothing.
"""

import contextlib
import os

import pytest

from tests.distributed import backends
from tests.distributed.cluster import Cluster, ClusterError

BACKENDS = ("mariadb", "postgresql")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def require(service) -> None:
    try:
        service.check()
        return
    except backends.Unavailable as e:
        message = "distributed tier: a service it needs is missing: %s" % e
    if in_ci():
        pytest.fail(message + " (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def rabbitmq():
    rabbit = backends.RabbitMQ()
    require(rabbit)
    return rabbit


@pytest.fixture(scope="module", params=BACKENDS)
def sql_server(request):
    server = backends.SQL_SERVERS[request.param]
    require(server)
    return server


@pytest.fixture(scope="module")
def cloud(request, rabbitmq, sql_server, tmp_path_factory):
    """API, conductor, scheduler, compute1 and compute2 as processes on a fresh vhost and a
    fresh database; stopped, and vhost and database removed, whatever happens. A module's
    CLUSTER_OPTIONS are more Cluster keywords (e.g. {"network_service": True})."""
    name = backends.unique_name()
    workdir = str(tmp_path_factory.mktemp("cloud-" + sql_server.name))
    with contextlib.ExitStack() as cleanup:  # undone in reverse order, each whatever happens
        transport_url = rabbitmq.add_vhost(name)
        cleanup.callback(rabbitmq.delete_vhost, name)
        database_url = sql_server.create(name)
        cleanup.callback(sql_server.drop, name)
        cluster = Cluster(workdir, transport_url, database_url,
                          **getattr(request.module, "CLUSTER_OPTIONS", {}))
        cleanup.callback(cluster.stop)
        try:
            cluster.db_upgrade()
            cluster.start()
        except Exception as e:
            raise ClusterError("%s\n%s" % (e, cluster.tails())) from None
        yield cluster


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the tails of the processes' logs to a failing test's report."""
    report = yield
    cluster = getattr(item, "funcargs", {}).get("cloud")
    if report.failed and isinstance(cluster, Cluster):
        report.sections.append(("novalite processes", cluster.tails()))
    return report
