"""Projects: list, show, create, update, delete (admin); a user's own projects."""

from __future__ import annotations  # methods named list shadow the builtin in annotations

import uuid

from novalite import exception
from novalite.db import projects as projects_db
from novalite.db import role_assignments
from novalite.identity.domains import resolve_domain
from novalite.objects.identity import DEFAULT_DOMAIN_ID, Project

_UPDATABLE = ("name", "description", "enabled")


class ProjectAPI:
    def __init__(self, identity):
        self.identity = identity
        self.database = identity.database

    def list(self, ctxt, name=None, domain_id=None, enabled=None) -> list[Project]:
        ctxt.can("identity:list_projects")
        return projects_db.list_(self.database, name=name, domain_id=domain_id,
                                 enabled=enabled)

    def get(self, ctxt, project_id: str) -> Project:
        # Policy first: a member may see their own project; anyone else learns nothing.
        ctxt.can("identity:get_project", {"project_id": project_id})
        return projects_db.get(self.database, project_id)

    def create(self, ctxt, name: str, description: str = "", enabled: bool = True,
               domain_id: str = DEFAULT_DOMAIN_ID) -> Project:
        ctxt.can("identity:create_project")
        project = Project(id=uuid.uuid4().hex, name=name, domain_id=resolve_domain(domain_id),
                          description=description or "", enabled=enabled)
        return projects_db.create(self.database, project)

    def update(self, ctxt, project_id: str, values: dict) -> Project:
        ctxt.can("identity:update_project", {"project_id": project_id})
        values = {k: v for k, v in values.items() if k in _UPDATABLE}
        if values:
            projects_db.update(self.database, project_id, values)
            self.identity.changed()
        return projects_db.get(self.database, project_id)

    def delete(self, ctxt, project_id: str) -> None:
        ctxt.can("identity:delete_project", {"project_id": project_id})
        projects_db.delete(self.database, project_id)
        self.identity.changed()

    def for_user(self, ctxt, user_id: str) -> list[Project]:
        """Enabled projects on which the user has a role."""
        ctxt.can("identity:list_user_projects", {"user_id": user_id})
        ids = role_assignments.project_ids(self.database, user_id)
        return projects_db.list_(self.database, ids=ids, enabled=True) if ids else []

    def ensure(self, name: str, description: str = "") -> Project:
        """The project called `name` in the default domain, created if missing (bootstrap;
        no policy)."""
        try:
            return projects_db.get_by_name(self.database, name, DEFAULT_DOMAIN_ID)
        except exception.NotFound:
            pass
        try:
            return projects_db.create(self.database, Project(
                id=uuid.uuid4().hex, name=name, description=description))
        except exception.Conflict:  # another process bootstrapped at the same time
            return projects_db.get_by_name(self.database, name, DEFAULT_DOMAIN_ID)
