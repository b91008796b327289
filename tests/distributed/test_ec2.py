"""`novalite ec2-api` in distributed mode: boto3 against the EC2 API process, whose
instances are built by the conductor, scheduler and compute processes over RabbitMQ, with
the identity (EC2 credentials from `novalite bootstrap`) in the same database.

One backend (MariaDB) only: the pipeline below the EC2 API is the compute API's, which
test_distributed.py runs on every backend.
"""

import contextlib
import uuid

import pytest
from botocore.config import Config

from tests.distributed import backends
from tests.distributed.cluster import Cluster, ClusterError
from tests.distributed.conftest import require

pytestmark = pytest.mark.distributed

FAST = {"Delay": 1, "MaxAttempts": 60}


@pytest.fixture(scope="module")
def sql_server():
    server = backends.SQL_SERVERS["mariadb"]
    require(server)
    return server


@pytest.fixture(scope="module")
def cloud(rabbitmq, sql_server, tmp_path_factory):
    """The distributed cloud plus `novalite ec2-api`, bootstrapped; one compute host."""
    name = backends.unique_name()
    workdir = str(tmp_path_factory.mktemp("ec2-cloud"))
    with contextlib.ExitStack() as cleanup:
        transport_url = rabbitmq.add_vhost(name)
        cleanup.callback(rabbitmq.delete_vhost, name)
        database_url = sql_server.create(name)
        cleanup.callback(sql_server.drop, name)
        cluster = Cluster(workdir, transport_url, database_url, computes=("compute1",),
                          ec2_api=True)
        cleanup.callback(cluster.stop)
        try:
            cluster.db_upgrade()
            cluster.ec2rc = cluster.bootstrap()
            cluster.start()
        except Exception as e:
            raise ClusterError("%s\n%s" % (e, cluster.tails())) from None
        yield cluster


@pytest.fixture(scope="module")
def ec2(cloud):
    import boto3

    client = boto3.client(
        "ec2", endpoint_url=cloud.ec2_url, region_name=cloud.ec2rc["AWS_DEFAULT_REGION"],
        aws_access_key_id=cloud.ec2rc["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=cloud.ec2rc["AWS_SECRET_ACCESS_KEY"],
        config=Config(retries={"total_max_attempts": 1}))
    yield client
    client.close()


def _instances(reply) -> list[dict]:
    return [i for r in reply["Reservations"] for i in r["Instances"]]


def test_run_describe_terminate_through_the_ec2_api_process(cloud, ec2):
    [image] = ec2.describe_images(Filters=[{"Name": "name",
                                            "Values": ["cirros-0.6.2-x86_64-disk"]}])["Images"]
    token = "launch-" + uuid.uuid4().hex
    reply = ec2.run_instances(ImageId=image["ImageId"], MinCount=2, MaxCount=2,
                              InstanceType="m1.tiny", ClientToken=token)
    ids = [i["InstanceId"] for i in reply["Instances"]]
    assert len(set(ids)) == 2
    ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig=FAST)

    [reservation] = ec2.describe_instances(InstanceIds=ids)["Reservations"]
    assert reservation["ReservationId"] == reply["ReservationId"]
    assert [i["InstanceId"] for i in reservation["Instances"]] == ids
    assert {i["State"]["Name"] for i in reservation["Instances"]} == {"running"}
    assert all(i["PrivateIpAddress"] for i in reservation["Instances"])
    # the same servers through the compute API process (noauth2: the project by id)
    nova = cloud.client("ec2-user", reply["OwnerId"])
    try:
        servers = nova.get("/servers/detail", params={
            "reservation_id": reply["ReservationId"]}).json()["servers"]
    finally:
        nova.http.close()
    assert len(servers) == 2 and {s["status"] for s in servers} == {"ACTIVE"}

    # ClientToken on MariaDB: a repeat launches nothing; tokens are case-sensitive there too
    again = ec2.run_instances(ImageId=image["ImageId"], MinCount=2, MaxCount=2,
                              InstanceType="m1.tiny", ClientToken=token)
    assert again["ReservationId"] == reply["ReservationId"]
    other = ec2.run_instances(ImageId=image["ImageId"], MinCount=1, MaxCount=1,
                              InstanceType="m1.tiny", ClientToken=token.upper())
    assert other["ReservationId"] != reply["ReservationId"]
    ids += [other["Instances"][0]["InstanceId"]]
    assert len(_instances(ec2.describe_instances())) == 3

    terminating = ec2.terminate_instances(InstanceIds=ids)["TerminatingInstances"]
    assert {t["InstanceId"] for t in terminating} == set(ids)
    ec2.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig=FAST)
    assert {i["State"]["Name"] for i in _instances(ec2.describe_instances(InstanceIds=ids))
            } == {"terminated"}
    assert cloud.log_errors() == []
