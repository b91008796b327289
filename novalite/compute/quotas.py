"""Quota sets and limits as the compute API offers them: who may see or change which
project's quotas (the counting and checking is novalite/quota.py's)."""

_QUOTA_POLICY = "os_compute_api:os-quota-sets:%s"


class QuotaAPI:
    def __init__(self, engine):
        self.engine = engine

    def show(self, ctxt, project_id: str, user_id: str | None = None,
             detail: bool = False) -> tuple[dict, dict | None]:
        """-> (limits, usages or None). With user_id: that user's usage in the project
        (novalite has no per-user limits: the project's apply)."""
        ctxt.can(_QUOTA_POLICY % ("detail" if detail else "show"), {"project_id": project_id})
        limits = self.engine.limits(project_id)
        return limits, self.engine.usages(project_id, user_id) if detail else None

    def defaults(self, ctxt, project_id: str) -> dict:
        ctxt.can(_QUOTA_POLICY % "defaults", {"project_id": project_id})
        return self.engine.defaults()

    def update(self, ctxt, project_id: str, values: dict, force: bool = False) -> dict:
        ctxt.can(_QUOTA_POLICY % "update", {"project_id": project_id})
        self.engine.update(project_id, values, force=force)
        return self.engine.limits(project_id)

    def reset(self, ctxt, project_id: str) -> None:
        ctxt.can(_QUOTA_POLICY % "delete", {"project_id": project_id})
        self.engine.reset(project_id)

    def limits(self, ctxt, project_id: str | None = None) -> tuple[dict, dict]:
        """The caller's project's limits and usage, or (admin) another project's."""
        ctxt.can("os_compute_api:limits", {})
        if project_id is None:
            project_id = ctxt.project_id
        else:
            ctxt.can("os_compute_api:limits:other_project", {"project_id": project_id})
        return self.engine.limits(project_id), self.engine.usages(project_id)
