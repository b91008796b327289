"""EC2 credentials: access/secret pairs owned by a user for one project (Keystone's OS-EC2
extension), and what the EC2 API needs to authenticate a signed request with one.

The secret is returned to its owner and to the signature check only; it is never logged.
"""

from __future__ import annotations  # methods named list shadow the builtin in annotations

import dataclasses
import hashlib
import json
import os
import secrets
import tempfile

from novalite import exception
from novalite.db import credentials as credentials_db
from novalite.db import projects as projects_db
from novalite.db import role_assignments
from novalite.db import users as users_db
from novalite.identity.api import Scope

EC2 = "ec2"


@dataclasses.dataclass(frozen=True)
class EC2Credential:
    access: str
    secret: str = dataclasses.field(repr=False)
    user_id: str = ""
    project_id: str | None = None


@dataclasses.dataclass(frozen=True)
class EC2Identity:
    """Who a verified EC2 request speaks for: the credential's user, project and roles."""

    secret: str = dataclasses.field(repr=False)
    user_id: str = ""
    user_name: str = ""
    project_id: str = ""
    project_name: str = ""
    roles: tuple = ()


def credential_id(access: str) -> str:
    """Keystone's id for an EC2 credential: the SHA-256 of its access key."""
    return hashlib.sha256(access.encode()).hexdigest()


def _from_record(record: dict) -> EC2Credential:
    blob = json.loads(record["blob"])
    return EC2Credential(access=blob["access"], secret=blob["secret"],
                         user_id=record["user_id"], project_id=record["project_id"])


class EC2CredentialAPI:
    def __init__(self, identity):
        self.identity = identity
        self.database = identity.database

    def create(self, ctxt, user_id: str, project_id: str) -> EC2Credential:
        ctxt.can("identity:ec2_create_credential", {"user_id": user_id})
        users_db.get(self.database, user_id)  # UserNotFound: 404
        projects_db.get(self.database, project_id)
        if not ctxt.is_admin and not role_assignments.role_ids(self.database, user_id,
                                                                project_id):
            raise exception.Forbidden("You have no role on project %s." % project_id)
        return self.ensure(user_id, project_id, new=True)

    def list(self, ctxt, user_id: str) -> list[EC2Credential]:
        ctxt.can("identity:ec2_list_credentials", {"user_id": user_id})
        users_db.get(self.database, user_id)
        return [_from_record(r) for r in credentials_db.list_(self.database, user_id, EC2)]

    def get(self, ctxt, user_id: str, access: str) -> EC2Credential:
        ctxt.can("identity:ec2_get_credential", {"user_id": user_id})
        return self._own(user_id, access)

    def delete(self, ctxt, user_id: str, access: str) -> None:
        ctxt.can("identity:ec2_delete_credential", {"user_id": user_id})
        self._own(user_id, access)
        credentials_db.delete(self.database, credential_id(access))

    def _own(self, user_id: str, access: str) -> EC2Credential:
        try:
            credential = _from_record(credentials_db.get(self.database,
                                                         credential_id(access)))
        except exception.NotFound:
            credential = None
        if credential is None or credential.user_id != user_id:
            raise exception.NotFound("Could not find credential: %s." % access)
        return credential

    # -- bootstrap and authentication (no policy) ------------------------------------------

    def ensure(self, user_id: str, project_id: str, new: bool = False) -> EC2Credential:
        """A credential of the user for the project: the first existing one unless `new`."""
        if not new:
            for record in credentials_db.list_(self.database, user_id, EC2):
                if record["project_id"] == project_id:
                    return _from_record(record)
        access, secret = secrets.token_hex(16), secrets.token_hex(16)
        credentials_db.create(self.database, credential_id(access), user_id, project_id, EC2,
                              json.dumps({"access": access, "secret": secret}))
        return EC2Credential(access=access, secret=secret, user_id=user_id,
                             project_id=project_id)

    def identity_for(self, access: str) -> EC2Identity:
        """The secret and the caller behind an access key; NotAuthenticated for an unknown
        key, a disabled or deleted user or project, or a user with no role left there."""
        epoch = self.identity.cache.epoch()
        try:
            record = credentials_db.get(self.database, credential_id(access))
        except exception.NotFound:
            raise exception.NotAuthenticated() from None
        credential = _from_record(record)
        if record["type"] != EC2 or not credential.project_id:
            raise exception.NotAuthenticated()
        user = self.identity._user(credential.user_id)
        project, role_ids = self.identity._project_scope(
            user, Scope(project_id=credential.project_id))
        names, _ = self.identity.role_graph.expand(role_ids, epoch)
        return EC2Identity(secret=credential.secret, user_id=user.id, user_name=user.name,
                           project_id=project.id, project_name=project.name,
                           roles=tuple(names))


def ec2_url(conf) -> str:
    from novalite.identity.catalog import base_url

    return base_url(conf.ec2.public_url, conf.ec2.listen, conf.ec2.port, None)


def write_ec2rc(path: str, credential: EC2Credential, url: str, region: str,
                user_name: str, project_name: str) -> None:
    """A shell file for boto3 and the aws CLI: `. ec2rc && aws ec2 describe-instances`.
    Private (0600), replaced atomically; it holds a secret."""
    text = "\n".join([
        "# EC2 credentials of user %s in project %s (written by novalite bootstrap)."
        % (user_name, project_name),
        "# Use: . %s && aws ec2 describe-instances" % path,
        "export AWS_ACCESS_KEY_ID=%s" % credential.access,
        "export AWS_SECRET_ACCESS_KEY=%s" % credential.secret,
        "export AWS_DEFAULT_REGION=%s" % region,
        "export AWS_ENDPOINT_URL_EC2=%s" % url,
        "# The names euca2ools and Nova's old EC2 API used:",
        "export EC2_ACCESS_KEY=%s" % credential.access,
        "export EC2_SECRET_KEY=%s" % credential.secret,
        "export EC2_URL=%s" % url,
        "",
    ])
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".ec2rc-")  # created 0600
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
