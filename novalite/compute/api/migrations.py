"""Reading migrations: GET /os-migrations (every move, with Nova's filters and paging) and
a server's live migrations in progress (GET /servers/{id}/migrations), which an
administrator may force to complete or abort (compute/api/live_migrate.py)."""

from novalite import exception, policy
from novalite.compute.api.base import ComputeAPIBase
from novalite.db import server_migrations as db_migrations

# A live migration between these statuses can be seen, forced and aborted (Nova's).
LIVE_IN_PROGRESS = ("queued", "preparing", "running", "post-migrating")


class MigrationsAPI(ComputeAPIBase):
    def list_migrations(self, ctxt, filters: dict, limit=None, marker=None,
                        changes_since=None, changes_before=None) -> tuple[list, bool]:
        """-> (migrations, whether the caller may see their hosts)."""
        ctxt.can("os_compute_api:os-migrations:index", {"project_id": ctxt.project_id})
        project_id = filters.pop("project_id", None)
        if not project_id or project_id != ctxt.project_id:
            # As Nova: a project's manager must ask for their own project's.
            ctxt.can("os_compute_api:os-migrations:index:all_projects")
        show_hosts = policy.check(ctxt, "os_compute_api:os-migrations:index:host", {})
        migrations = db_migrations.list_(self.database, filters, limit=limit, marker=marker,
                                         changes_since=changes_since,
                                         changes_before=changes_before,
                                         project_id=project_id)
        return migrations, show_hosts

    def server_migrations(self, ctxt, instance_id: str) -> list:
        instance = self.get(ctxt, instance_id)
        ctxt.can("os_compute_api:servers:migrations:index",
                 {"project_id": instance.project_id})
        return db_migrations.for_instance(self.database, instance.uuid,
                                          status=LIVE_IN_PROGRESS, types=("live-migration",))

    def server_migration(self, ctxt, instance_id: str, migration_id: int,
                         rule="os_compute_api:servers:migrations:show"):
        instance = self.get(ctxt, instance_id)
        ctxt.can(rule, {"project_id": instance.project_id})
        for migration in db_migrations.for_instance(self.database, instance.uuid):
            if migration.id == migration_id:
                if migration.migration_type != "live-migration":
                    raise exception.NotFound(
                        "Migration %d for instance %s is not a live migration" % (
                            migration_id, instance.uuid))
                if migration.status not in LIVE_IN_PROGRESS:
                    raise exception.NotFound(
                        "Migration %d for instance %s is not in progress" % (
                            migration_id, instance.uuid))
                return instance, migration
        raise exception.NotFound("Migration %d for instance %s could not be found." % (
            migration_id, instance.uuid))
