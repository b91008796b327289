"""The `openstack` CLI against `novalite serve`, configured only by the generated
clouds.yaml."""

import uuid

from tests.clients.conftest import IMAGE_NAME


def test_token_issue(cloud):
    token = cloud.openstack("token", "issue", "-f", "json")
    assert token["id"] and token["project_id"] and token["user_id"]
    assert token["expires"]


def test_flavor_list(cloud):
    names = {f["Name"] for f in cloud.openstack("flavor", "list", "-f", "json")}
    assert {"m1.tiny", "m1.small", "m1.medium", "m1.large", "m1.xlarge"} <= names


def test_server_lifecycle(cloud):
    name = "cli-" + uuid.uuid4().hex[:6]
    created = cloud.openstack("server", "create", "--image", IMAGE_NAME, "--flavor",
                              "m1.tiny", "--wait", name, "-f", "json")
    assert created["status"] == "ACTIVE"
    assert created["addresses"]["private"][0].startswith("10.0.")
    listed = cloud.openstack("server", "list", "-f", "json")
    assert [s["Status"] for s in listed if s["Name"] == name] == ["ACTIVE"]
    shown = cloud.openstack("server", "show", name, "-f", "json")
    assert shown["id"] == created["id"]
    assert shown["flavor"]["original_name"] == "m1.tiny"
    cloud.openstack("server", "delete", "--wait", name)
    names = [s["Name"] for s in cloud.openstack("server", "list", "-f", "json")]
    assert name not in names


def test_keypair_create(cloud):
    name = "key-" + uuid.uuid4().hex[:6]
    done = cloud.openstack("keypair", "create", name)
    assert "PRIVATE KEY" in done.stdout
    listed = {k["Name"] for k in cloud.openstack("keypair", "list", "-f", "json")}
    assert name in listed
    cloud.openstack("keypair", "delete", name)


def test_quota_and_limits(cloud):
    quota = {q["Resource"]: q["Limit"] for q in cloud.openstack("quota", "show", "-f", "json")}
    assert quota["instances"] == 10 and quota["cores"] == 20 and quota["ram"] == 51200
    # OSC prints the SDK's names for Nova's maxTotalInstances / totalInstancesUsed.
    limits = {i["Name"]: i["Value"] for i in
              cloud.openstack("limits", "show", "--absolute", "-f", "json")}
    assert limits["instances"] == 10
    assert limits["instances_used"] >= 0


def test_admin_cloud_sees_services(cloud):
    services = cloud.openstack("compute", "service", "list", "-f", "json",
                               cloud="novalite-admin")
    assert {s["Binary"] for s in services} >= {"nova-compute", "nova-scheduler",
                                              "nova-conductor"}


def test_demo_user_cannot_list_services(cloud):
    done = cloud.openstack("compute", "service", "list", check=False)
    assert done.returncode != 0
    assert "403" in done.stderr or "Policy" in done.stderr


def test_no_secret_in_the_logs(cloud):
    token = cloud.openstack("token", "issue", "-f", "json")["id"]
    cloud.openstack("server", "list", "-f", "json")
    with open(cloud.log_path) as f:
        log = f.read()
    for secret in cloud.secrets() + [token]:
        assert secret not in log
