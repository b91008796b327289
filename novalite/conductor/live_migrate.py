"""The conductor's part of a live migration (Nova's LiveMigrationTask): the migration
recorded, the destination checked (forced, 2.30-2.67) or chosen by the scheduler, both
hosts asked whether their drivers can, then the source host told to move the guest.
Called before 2.34 (a failed check is the request's 400), cast after (it is the action's
fault)."""

import logging

import oslo_messaging as messaging

from novalite import exception
from novalite.db import compute_nodes as db_nodes
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.db import server_migrations as db_migrations
from novalite.db import services as db_services
from novalite.objects.migration import Migration
from novalite.objects.request_spec import RequestSpec
from novalite.scheduler.host_state import service_is_up

LOG = logging.getLogger(__name__)

_EVENT = "conductor_live_migrate_instance"


class LiveMigrationTasks:
    @messaging.expected_exceptions(exception.NoValidHost, exception.MigrationPreCheckError)
    def live_migrate_instance(self, ctxt, instance_uuid, host=None, block_migration=None,
                              force=False):
        instance = db_instances.get(self.database, instance_uuid)
        migration = db_migrations.create(self.database, Migration(
            instance_uuid=instance.uuid, migration_type="live-migration", status="accepted",
            source_compute=instance.host, source_node=instance.node,
            old_flavor=instance.flavor, new_flavor=instance.flavor, user_id=ctxt.user_id,
            project_id=ctxt.project_id))
        db_actions.event_start(self.database, ctxt, instance.uuid, _EVENT, self.host)
        try:
            dest = self._live_destination(ctxt, instance, host, force)
            self.compute_rpc.check_can_live_migrate_destination(ctxt, dest, instance)
        except (exception.NoValidHost, exception.MigrationPreCheckError) as e:
            message = getattr(e, "message", None) or str(e)
            LOG.info("Instance %s cannot be live-migrated: %s", instance.uuid, message)
            db_migrations.update(self.database, migration.id, {"status": "error"})
            db_instances.update(self.database, instance.uuid, {"task_state": None})
            db_instances.fault_create(self.database, instance.uuid, 400, message)
            db_actions.event_fail(self.database, ctxt, instance.uuid, _EVENT, e)
            raise
        db_actions.event_finish(self.database, ctxt, instance.uuid, _EVENT, "Success")
        node = next((n for n in db_nodes.list_(self.database) if n.host == dest), None)
        db_migrations.update(self.database, migration.id, {
            "dest_compute": dest, "dest_node": dest,
            "dest_host": node.host_ip if node else None, "status": "queued"})
        self.compute_rpc.live_migration(ctxt, instance.host, instance, migration.id, dest,
                                        block_migration)

    def _live_destination(self, ctxt, instance, host, force) -> str:
        if host and force:  # the administrator's word, checked only for being up
            services = db_services.list_(self.database, host=host, binary="novalite-compute")
            if not services or not service_is_up(services[0], self.conf.service_down_time):
                raise exception.NoValidHost(reason="Compute service of %s is unavailable "
                                                   "at this time." % host)
            return host
        spec = RequestSpec(project_id=instance.project_id, user_id=instance.user_id,
                           flavor=instance.flavor, image_ref=instance.image_ref,
                           availability_zone=instance.requested_availability_zone,
                           ignore_hosts=[instance.host], force_hosts=[host] if host else [])
        (dest,) = self.scheduler_rpc.select_destinations(ctxt, spec, [instance.uuid])
        return dest
