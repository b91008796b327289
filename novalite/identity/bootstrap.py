"""First start: the roles (admin -> manager -> member -> reader), the admin project and
user (role admin), the demo project and user (role member), and clouds.yaml for both; the
service user 'novalite' (role admin in project 'service') that compute services use to fetch
images. The service user is not in clouds.yaml: its password goes to the compute services
(in-process in the all-in-one, else their [service_user] options).

Idempotent: what exists is kept; an existing user's password changes only when one is
given. Generated passwords are returned for the caller to show once (never logged).
"""

import dataclasses
import os

from novalite.identity import clouds, ec2_credentials, passwords

# As keystone-manage bootstrap (2024.1): the manager persona sits between admin and member;
# the service role (implying none) is what services' users hold for service-to-service APIs.
ROLES = ("admin", "manager", "member", "reader", "service")
IMPLIED = (("admin", "manager"), ("manager", "member"), ("member", "reader"))


@dataclasses.dataclass
class BootstrapResult:
    clouds_yaml: str
    # Set only when the password was set by this run (new user or reset): show it once.
    admin_password: str | None = dataclasses.field(default=None, repr=False)
    demo_password: str | None = dataclasses.field(default=None, repr=False)
    service_password: str | None = dataclasses.field(default=None, repr=False)
    ec2rc: str | None = None  # the demo user's EC2 credentials, for boto3 and the aws CLI


def clouds_yaml_path(conf) -> str:
    return os.path.join(os.path.abspath(conf.state_path), "clouds.yaml")


SERVICE_USER = "novalite"
SERVICE_PROJECT = "service"


def bootstrap(identity_api, conf, admin_password: str | None = None,
              demo_password: str | None = None,
              service_password: str | None = None) -> BootstrapResult:
    """Given passwords replace existing ones; missing ones are generated for new users."""
    roles = {name: identity_api.roles.ensure(name) for name in ROLES}
    for prior, implied in IMPLIED:
        identity_api.roles.ensure_implied(roles[prior], roles[implied])
    result = BootstrapResult(clouds_yaml=clouds_yaml_path(conf))
    entries = {}
    for name, role, given, cloud in (
            ("admin", "admin", admin_password, clouds.ADMIN_CLOUD),
            ("demo", "member", demo_password, clouds.DEMO_CLOUD)):
        project = identity_api.projects.ensure(
            name, "Bootstrap project for initializing the cloud." if name == "admin"
            else "Demo project.")
        password = given if given is not None else passwords.generate_password()
        user, password_set = identity_api.users.ensure(
            name, password, project.id, reset_password=given is not None)
        identity_api.roles.ensure_grant(project.id, user.id, roles[role].id)
        if password_set:
            setattr(result, name + "_password", password)
        entries[cloud] = clouds.cloud_entry(
            identity_api.catalog.identity_url() + "/v3", conf.identity.region_name,
            name, name, password if password_set or given is not None else None,
            network_service=conf.network_api.in_catalog)
    clouds.write(result.clouds_yaml, entries)
    _demo_ec2_credentials(identity_api, conf, user.id, project.id, result)  # the demo's
    _service_user(identity_api, (roles["admin"], roles["service"]), service_password, result)
    return result


def _service_user(identity_api, its_roles, given: str | None, result) -> None:
    project = identity_api.projects.ensure(SERVICE_PROJECT, "Service users' project.")
    password = given if given is not None else passwords.generate_password()
    user, password_set = identity_api.users.ensure(
        SERVICE_USER, password, project.id, reset_password=given is not None)
    for role in its_roles:
        identity_api.roles.ensure_grant(project.id, user.id, role.id)
    if password_set:
        result.service_password = password


def _demo_ec2_credentials(identity_api, conf, user_id, project_id, result) -> None:
    """An EC2 access/secret pair for the demo user (kept across starts), in <state>/ec2rc."""
    credential = ec2_credentials.EC2CredentialAPI(identity_api).ensure(user_id, project_id)
    result.ec2rc = os.path.join(os.path.abspath(conf.state_path), "ec2rc")
    ec2_credentials.write_ec2rc(result.ec2rc, credential, ec2_credentials.ec2_url(conf),
                                conf.ec2.region_name, "demo", "demo")
