import pytest

from tests.functional.helpers import client_pool, running_cloud


@pytest.fixture(scope="module")
def cloud(request, tmp_path_factory):
    """The module's own cloud; a module sets CLOUD_OPTIONS (running_cloud's keywords, e.g.
    {"computes": 1, "fake.operation_delays": {...}}) to configure it."""
    options = getattr(request.module, "CLOUD_OPTIONS", {})
    with running_cloud(tmp_path_factory.mktemp("state"), **options) as aio:
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


@pytest.fixture(scope="module")
def ec2_client(cloud):
    """ec2_client(user, project[, role]) -> a boto3 EC2 client of the module's cloud, signed
    with an EC2 credential of that identity user in that project (both created if missing,
    the user given `role` there)."""
    made = {}

    def get(user="demo", project="demo", role="member", **kwargs):
        key = (user, project, role, tuple(sorted(kwargs.items())))
        if key not in made:
            made[key] = client_for(cloud, user, project, role, **kwargs)
        return made[key]

    yield get
    for client in made.values():
        client.close()


def ec2_identity(cloud, user: str, project: str, role: str = "member"):
    """(user id, project id, EC2 credential) of an identity user with `role` on project."""
    from novalite.identity.ec2_credentials import EC2CredentialAPI

    identity = cloud.identity_api
    project_ref = identity.projects.ensure(project)
    user_ref, _ = identity.users.ensure(user, None, project_ref.id)
    identity.roles.ensure_grant(project_ref.id, user_ref.id, identity.roles.ensure(role).id)
    credential = EC2CredentialAPI(identity).ensure(user_ref.id, project_ref.id)
    return user_ref.id, project_ref.id, credential


def client_for(cloud, user, project, role="member", region="RegionOne", secret=None,
               access=None):
    import boto3
    from botocore.config import Config

    _, _, credential = ec2_identity(cloud, user, project, role)
    return boto3.client(
        "ec2", endpoint_url=cloud.ec2_url, region_name=region,
        aws_access_key_id=access or credential.access,
        aws_secret_access_key=secret or credential.secret,
        config=Config(retries={"total_max_attempts": 1}))
