"""Users: list, show, create, update (password, enable/disable), delete; a user changing
their own password."""

from __future__ import annotations  # methods named list shadow the builtin in annotations

import uuid

from novalite import exception
from novalite.db import projects as projects_db
from novalite.db import users as users_db
from novalite.identity import passwords
from novalite.identity.domains import resolve_domain
from novalite.objects.identity import DEFAULT_DOMAIN_ID, User


class UserAPI:
    def __init__(self, identity):
        self.identity = identity
        self.database = identity.database

    def _hash(self, password: str) -> str:
        return passwords.hash_password(password, self.identity.password_hash_rounds)

    def list(self, ctxt, name=None, domain_id=None, enabled=None) -> list[User]:
        ctxt.can("identity:list_users")
        return users_db.list_(self.database, name=name, domain_id=domain_id, enabled=enabled)

    def get(self, ctxt, user_id: str) -> User:
        ctxt.can("identity:get_user", {"user_id": user_id})
        return users_db.get(self.database, user_id)

    def create(self, ctxt, name: str, password: str | None = None, enabled: bool = True,
               default_project_id: str | None = None, domain_id: str = DEFAULT_DOMAIN_ID,
               extra: dict | None = None) -> User:
        ctxt.can("identity:create_user")
        if default_project_id is not None:
            projects_db.get(self.database, default_project_id)
        user = User(id=uuid.uuid4().hex, name=name, domain_id=resolve_domain(domain_id),
                    enabled=enabled, default_project_id=default_project_id,
                    extra=dict(extra or {}),
                    password_hash=self._hash(password) if password is not None else None)
        return users_db.create(self.database, user)

    def update(self, ctxt, user_id: str, name: str | None = None,
               enabled: bool | None = None, password: str | None = None,
               default_project_id: str | None = None, extra: dict | None = None) -> User:
        """Change what is given. A new password voids the user's existing tokens, as does
        disabling the user."""
        ctxt.can("identity:update_user", {"user_id": user_id})
        values = {}
        if name is not None:
            values["name"] = name
        if enabled is not None:
            values["enabled"] = enabled
        if default_project_id is not None:
            projects_db.get(self.database, default_project_id)
            values["default_project_id"] = default_project_id
        if extra:
            values["extra"] = {**users_db.get(self.database, user_id).extra, **extra}
        if password is not None:
            values["password_hash"] = self._hash(password)
        if values:
            users_db.update(self.database, user_id, values,
                            new_token_generation=password is not None)
            self.identity.changed()
        return users_db.get(self.database, user_id)

    def change_password(self, ctxt, user_id: str, original: str, new: str) -> None:
        """A user's own password change: the original password must match."""
        ctxt.can("identity:change_password", {"user_id": user_id})
        user = users_db.get(self.database, user_id)
        if not passwords.verify_password(original, user.password_hash):
            raise exception.NotAuthenticated()
        users_db.update(self.database, user_id, {"password_hash": self._hash(new)},
                        new_token_generation=True)
        self.identity.changed()

    def delete(self, ctxt, user_id: str) -> None:
        ctxt.can("identity:delete_user", {"user_id": user_id})
        users_db.delete(self.database, user_id)
        self.identity.changed()

    # -- bootstrap (no policy) -----------------------------------------------------------

    def ensure(self, name: str, password: str | None, default_project_id: str | None,
               reset_password: bool = False) -> tuple[User, bool]:
        """(user, whether its password was set now). A new user gets `password`; an existing
        one keeps theirs unless reset_password and `password` differs from it."""
        try:
            user = users_db.get_by_name(self.database, name, DEFAULT_DOMAIN_ID)
        except exception.NotFound:
            user = User(id=uuid.uuid4().hex, name=name, default_project_id=default_project_id,
                        password_hash=self._hash(password) if password else None)
            try:
                return users_db.create(self.database, user), password is not None
            except exception.Conflict:  # another process bootstrapped at the same time
                return users_db.get_by_name(self.database, name, DEFAULT_DOMAIN_ID), False
        if reset_password and password is not None and \
                not passwords.verify_password(password, user.password_hash):
            users_db.update(self.database, user.id, {"password_hash": self._hash(password)},
                            new_token_generation=True)
            self.identity.changed()
            return users_db.get(self.database, user.id), True
        return user, False
