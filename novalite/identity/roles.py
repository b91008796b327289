"""Roles, the implied-role rules (admin -> member -> reader) and role assignments."""

from __future__ import annotations  # methods named list shadow the builtin in annotations

import threading
import uuid

from novalite import exception
from novalite.db import projects as projects_db
from novalite.db import role_assignments
from novalite.db import roles as roles_db
from novalite.db import users as users_db
from novalite.objects.identity import Role, RoleAssignment


class RoleGraph:
    """Every role and what it implies, read again only when the identity epoch moves (any
    role change moves it), so expanding a token's roles costs no query."""

    def __init__(self, database):
        self.database = database
        self._lock = threading.Lock()
        # (epoch, {role id: Role}, {role id: implied role ids}), replaced as one.
        self._graph: tuple = (None, {}, {})

    def _current(self, epoch: int) -> tuple:
        graph = self._graph
        if graph[0] == epoch:
            return graph
        with self._lock:
            if self._graph[0] != epoch:
                roles = {r.id: r for r in roles_db.list_(self.database)}
                implies: dict[str, set[str]] = {}
                for prior, implied in roles_db.list_implied(self.database):
                    implies.setdefault(prior, set()).add(implied)
                self._graph = (epoch, roles, implies)
            return self._graph

    def expand(self, role_ids, epoch: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(names, ids) of the roles and all they imply, transitively, sorted by name."""
        _, roles, implies = self._current(epoch)
        seen: set[str] = set()
        todo = list(role_ids)
        while todo:
            role_id = todo.pop()
            if role_id not in seen:  # a loop in the rules ends here
                seen.add(role_id)
                todo.extend(implies.get(role_id, ()))
        found = sorted((roles[i].name, i) for i in seen if i in roles)
        return tuple(n for n, _ in found), tuple(i for _, i in found)


class RoleAPI:
    def __init__(self, identity):
        self.identity = identity
        self.database = identity.database

    def list(self, ctxt, name: str | None = None) -> list[Role]:
        ctxt.can("identity:list_roles")
        return roles_db.list_(self.database, name=name)

    def get(self, ctxt, role_id: str) -> Role:
        ctxt.can("identity:get_role")
        return roles_db.get(self.database, role_id)

    def create(self, ctxt, name: str, description: str | None = None) -> Role:
        ctxt.can("identity:create_role")
        return roles_db.create(self.database, Role(id=uuid.uuid4().hex, name=name,
                                                   description=description))

    def delete(self, ctxt, role_id: str) -> None:
        ctxt.can("identity:delete_role")
        roles_db.delete(self.database, role_id)
        self.identity.changed()

    def ensure(self, name: str, description: str | None = None) -> Role:
        """The role called `name`, created if missing (bootstrap; no policy)."""
        found = roles_db.list_(self.database, name=name)
        if found:
            return found[0]
        try:
            return roles_db.create(self.database, Role(id=uuid.uuid4().hex, name=name,
                                                       description=description))
        except exception.Conflict:  # another process bootstrapped at the same time
            return roles_db.list_(self.database, name=name)[0]

    def ensure_implied(self, prior: Role, implied: Role) -> None:
        roles_db.add_implied(self.database, prior.id, implied.id)
        self.identity.changed()

    def ensure_grant(self, project_id: str, user_id: str, role_id: str) -> None:
        """Bootstrap's grant: no policy (it runs before the APIs load their policy file)."""
        role_assignments.add(self.database, user_id, project_id, role_id)
        self.identity.changed()

    # -- assignments ---------------------------------------------------------------------

    def _check_exists(self, project_id, user_id, role_id) -> None:
        # 404 names what is missing, as Keystone.
        projects_db.get(self.database, project_id)
        users_db.get(self.database, user_id)
        roles_db.get(self.database, role_id)

    def grant(self, ctxt, project_id: str, user_id: str, role_id: str) -> None:
        ctxt.can("identity:create_grant", {"project_id": project_id})
        self._check_exists(project_id, user_id, role_id)
        role_assignments.add(self.database, user_id, project_id, role_id)
        self.identity.changed()

    def revoke(self, ctxt, project_id: str, user_id: str, role_id: str) -> None:
        ctxt.can("identity:revoke_grant", {"project_id": project_id})
        self._check_exists(project_id, user_id, role_id)
        role_assignments.remove(self.database, user_id, project_id, role_id)
        self.identity.changed()

    def check(self, ctxt, project_id: str, user_id: str, role_id: str) -> None:
        ctxt.can("identity:check_grant", {"project_id": project_id})
        self._check_exists(project_id, user_id, role_id)
        if role_id not in role_assignments.role_ids(self.database, user_id, project_id):
            raise exception.RoleAssignmentNotFound(role_id=role_id, user_id=user_id,
                                                   project_id=project_id)

    def list_grants(self, ctxt, project_id: str, user_id: str) -> list[Role]:
        ctxt.can("identity:list_grants", {"project_id": project_id})
        projects_db.get(self.database, project_id)
        users_db.get(self.database, user_id)
        role_ids = set(role_assignments.role_ids(self.database, user_id, project_id))
        return [r for r in roles_db.list_(self.database) if r.id in role_ids]

    def assignments(self, ctxt, user_id=None, project_id=None, role_id=None,
                    effective: bool = False) -> list[RoleAssignment]:
        """Assignments matching the filters; `effective` adds the implied roles."""
        ctxt.can("identity:list_role_assignments")
        direct = role_assignments.list_(self.database, user_id=user_id,
                                        project_id=project_id,
                                        role_id=None if effective else role_id)
        if not effective:
            return direct
        epoch = self.identity.cache.epoch()
        out, seen = [], set()
        for a in direct:
            names, ids = self.identity.role_graph.expand([a.role_id], epoch)
            for name, rid in zip(names, ids, strict=True):
                key = (a.user_id, a.project_id, rid)
                if key not in seen and role_id in (None, rid):
                    seen.add(key)
                    out.append(RoleAssignment(a.user_id, a.user_name, a.project_id,
                                              a.project_name, rid, name))
        return out
