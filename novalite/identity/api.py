"""The identity service's facade: authenticate and issue tokens, validate and revoke them;
projects, users, roles and the domain (IdentityAPI.projects/.users/.roles/.domains).

validate_token() is what the compute API calls on every request, in-process: see
token_cache.py for how it is cached and why that stays correct across processes.
No token, password or hash is ever logged here.
"""

import dataclasses
import datetime
import os

from novalite import exception
from novalite.db import identity_epoch, role_assignments, token_revocations
from novalite.db import projects as projects_db
from novalite.db import users as users_db
from novalite.identity import fernet_keys, passwords, tokens
from novalite.identity.catalog import Catalog
from novalite.identity.domains import DomainAPI, resolve_domain
from novalite.identity.projects import ProjectAPI
from novalite.identity.roles import RoleAPI, RoleGraph
from novalite.identity.token_cache import ValidationCache
from novalite.identity.users import UserAPI
from novalite.objects.base import utcnow
from novalite.objects.identity import TokenInfo, User

__all__ = ["IdentityAPI", "PasswordCredentials", "Scope", "TokenInfo"]

_EPOCH = datetime.datetime(1970, 1, 1)
METHODS = ("password", "token")


@dataclasses.dataclass(frozen=True)
class PasswordCredentials:
    password: str = dataclasses.field(repr=False)
    user_id: str | None = None
    user_name: str | None = None
    domain_id: str | None = None  # the user's domain, when named
    domain_name: str | None = None


@dataclasses.dataclass(frozen=True)
class Scope:
    """What a token is asked to be scoped to. Keystone's "scope" object: a project by id, or
    by name and domain; "unscoped"; domain and system scopes are not supported."""

    project_id: str | None = None
    project_name: str | None = None
    domain_id: str | None = None  # the project's domain
    domain_name: str | None = None
    unscoped: bool = False
    unsupported: str | None = None  # "domain", "system" ...


@dataclasses.dataclass(frozen=True)
class _Validated:
    payload: tokens.TokenPayload
    info: TokenInfo


def _timestamp(value: datetime.datetime) -> float:
    return (value - _EPOCH).total_seconds()


class IdentityAPI:
    def __init__(self, conf, database):
        self.conf = conf
        self.database = database
        keys = fernet_keys.KeyRepository(
            conf.identity.key_repository or os.path.join(conf.state_path, "fernet-keys"))
        keys.ensure()
        self.formatter = tokens.TokenFormatter(keys.load())
        self._epoch_reader = identity_epoch.EpochReader(database)
        self.cache = ValidationCache(self._epoch_reader,
                                     conf.identity.token_cache_size,
                                     conf.identity.cache_recheck_interval)
        self.catalog = Catalog(conf)
        self.role_graph = RoleGraph(database)
        self.projects = ProjectAPI(self)
        self.users = UserAPI(self)
        self.roles = RoleAPI(self)
        self.domains = DomainAPI()

    def dispose(self) -> None:
        self._epoch_reader.dispose()

    @property
    def password_hash_rounds(self) -> int:
        return self.conf.identity.password_hash_rounds

    def changed(self) -> None:
        """Called after every identity write made through this process."""
        self.cache.changed()

    # -- authentication ------------------------------------------------------------------

    def authenticate(self, methods, password: PasswordCredentials | None = None,
                     token: str | None = None, scope: Scope | None = None
                     ) -> tuple[str, TokenInfo]:
        """Check the credentials of every method and issue a token: (token, what it says).
        Any failure is NotAuthenticated with one message, whatever the cause."""
        if not methods or any(m not in METHODS for m in methods):
            raise exception.NotAuthenticated()
        epoch = self.cache.epoch()  # before any read, as in validation (token_cache.py)
        user, parent, all_methods = None, None, []
        if "token" in methods:
            if not token:
                raise exception.NotAuthenticated()
            parent = self._validated(token)
            user = self._user(parent.payload.user_id)
            all_methods.extend(parent.info.methods)
        if "password" in methods:
            if password is None:
                raise exception.NotAuthenticated()
            password_user = self._check_password(password)
            if user is not None and password_user.id != user.id:
                raise exception.NotAuthenticated()
            user = password_user
        all_methods.extend(m for m in methods if m not in all_methods)
        project, role_ids = self._scope(user, scope)
        now = utcnow()
        payload = tokens.TokenPayload(
            user_id=user.id, project_id=project.id if project else None,
            methods=tuple(all_methods), issued_at=now,
            # A rescoped token lives no longer than the token it came from, as Keystone.
            expires_at=parent.payload.expires_at if parent else
            now + datetime.timedelta(seconds=self.conf.identity.token_expiration),
            audit_ids=(tokens.new_audit_id(),) + (
                (parent.payload.audit_ids[-1],) if parent else ()),
            token_generation=parent.payload.token_generation if parent
            else user.token_generation)
        issued = self.formatter.create(payload)
        validated = _Validated(payload, self._info(payload, user, project, role_ids, epoch))
        self.cache.put(issued, validated, _timestamp(payload.expires_at), epoch)
        return issued, validated.info

    def _user(self, user_id: str) -> User:
        try:
            user = users_db.get(self.database, user_id)
        except exception.NotFound:
            raise exception.NotAuthenticated() from None
        if not user.enabled:
            raise exception.NotAuthenticated()
        return user

    def _check_password(self, creds: PasswordCredentials) -> User:
        try:
            if creds.user_id:
                user = users_db.get(self.database, creds.user_id)
            else:
                domain_id = resolve_domain(creds.domain_id, creds.domain_name)
                user = users_db.get_by_name(self.database, creds.user_name or "", domain_id)
        except exception.NotFound:
            # As slow as a wrong password, and the same answer.
            passwords.burn_verify(creds.password, self.password_hash_rounds)
            raise exception.NotAuthenticated() from None
        if user.password_hash is None:
            passwords.burn_verify(creds.password, self.password_hash_rounds)
            raise exception.NotAuthenticated()
        if not passwords.verify_password(creds.password, user.password_hash):
            raise exception.NotAuthenticated()
        if not user.enabled:
            raise exception.NotAuthenticated()
        return user

    def _scope(self, user: User, scope: Scope | None):
        """(project, direct role ids) the new token is scoped to; (None, []) if unscoped."""
        if scope is None:
            # No scope asked for: the user's default project if usable, as Keystone.
            if user.default_project_id:
                try:
                    return self._project_scope(user, Scope(project_id=user.default_project_id))
                except exception.NotAuthenticated:
                    pass
            return None, []
        if scope.unscoped:
            return None, []
        if scope.unsupported:
            raise exception.NotAuthenticated()
        return self._project_scope(user, scope)

    def _project_scope(self, user: User, scope: Scope):
        try:
            if scope.project_id:
                project = projects_db.get(self.database, scope.project_id)
            else:
                domain_id = resolve_domain(scope.domain_id, scope.domain_name)
                project = projects_db.get_by_name(self.database, scope.project_name or "",
                                                  domain_id)
        except exception.NotFound:
            raise exception.NotAuthenticated() from None
        role_ids = role_assignments.role_ids(self.database, user.id, project.id)
        if not project.enabled or not role_ids:
            raise exception.NotAuthenticated()
        return project, role_ids

    def _info(self, payload, user, project, role_ids, epoch) -> TokenInfo:
        names, ids = self.role_graph.expand(role_ids, epoch) if project else ((), ())
        return TokenInfo(
            user_id=user.id, user_name=user.name, user_domain_id=user.domain_id,
            project_id=project.id if project else None,
            project_name=project.name if project else None,
            project_domain_id=project.domain_id if project else None,
            roles=names, role_ids=ids, expires_at=payload.expires_at,
            issued_at=payload.issued_at, audit_ids=payload.audit_ids,
            methods=payload.methods)

    # -- validation ----------------------------------------------------------------------

    def validate_token(self, token: str) -> TokenInfo:
        """What a valid token says; NotAuthenticated if it is not valid (tampered, expired,
        revoked, its user disabled, deleted or with a changed password, its project
        disabled or deleted, or no role left there)."""
        return self._validated(token).info

    def _validated(self, token: str) -> _Validated:
        epoch = self.cache.epoch()
        validated = self.cache.get(token, epoch)
        if validated is not None:
            return validated
        payload = self.formatter.parse(token)
        if payload.expires_at <= utcnow():
            raise exception.NotAuthenticated()
        validated = _Validated(payload, self._load(payload, epoch))
        self.cache.put(token, validated, _timestamp(payload.expires_at), epoch)
        return validated

    def _load(self, payload: tokens.TokenPayload, epoch: int) -> TokenInfo:
        if token_revocations.is_revoked(self.database, payload.audit_ids[0]):
            raise exception.NotAuthenticated()
        user = self._user(payload.user_id)
        if user.token_generation != payload.token_generation:
            raise exception.NotAuthenticated()  # the password changed since
        project, role_ids = None, []
        if payload.project_id is not None:
            project, role_ids = self._project_scope(user, Scope(project_id=payload.project_id))
        return self._info(payload, user, project, role_ids, epoch)

    def revoke_token(self, token: str) -> None:
        payload = self._validated(token).payload
        token_revocations.revoke(self.database, payload.audit_ids[0], payload.expires_at)
        self.cache.forget(token)
        self.changed()
