"""The conductor's part of a resize or cold migration (Nova's MigrationTask): the
migration recorded, the destination chosen by the scheduler (the source host left out of
a cold migration, and of a resize unless [DEFAULT] allow_resize_to_same_host), then the
destination told to prepare. Cast, as Nova's since Ussuri: no host found puts the server
back as it was, the failure recorded in its instance action (event
conductor_migrate_server, Error)."""

import logging

from novalite import exception
from novalite.db import compute_nodes as db_nodes
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.db import server_migrations as db_migrations
from novalite.objects.flavor import Flavor
from novalite.objects.migration import Migration
from novalite.objects.request_spec import RequestSpec

LOG = logging.getLogger(__name__)

_EVENT = "conductor_migrate_server"


class MigrationTasks:
    def migrate_server(self, ctxt, instance_uuid, flavor, host=None):
        instance = db_instances.get(self.database, instance_uuid)
        flavor = Flavor.from_primitive(flavor)
        resize = flavor.flavorid != instance.flavor.flavorid
        migration = db_migrations.create(self.database, Migration(
            instance_uuid=instance.uuid, migration_type="resize" if resize else "migration",
            status="pre-migrating", source_compute=instance.host, source_node=instance.node,
            old_flavor=instance.flavor, new_flavor=flavor, user_id=ctxt.user_id,
            project_id=ctxt.project_id))
        same_host_ok = resize and self.conf.allow_resize_to_same_host
        spec = RequestSpec(project_id=instance.project_id, user_id=instance.user_id,
                           flavor=flavor, image_ref=instance.image_ref,
                           availability_zone=instance.requested_availability_zone,
                           ignore_hosts=[] if same_host_ok else [instance.host],
                           force_hosts=[host] if host else [])
        db_actions.event_start(self.database, ctxt, instance.uuid, _EVENT, self.host)
        try:
            (dest,) = self.scheduler_rpc.select_destinations(ctxt, spec, [instance.uuid])
        except exception.NoValidHost as e:
            message = "No valid host was found. No valid host found for %s" % (
                "resize" if resize else "cold migrate")
            LOG.info("Instance %s: %s (%s)", instance.uuid, message,
                     getattr(e, "message", None) or e)
            db_migrations.update(self.database, migration.id, {"status": "error"})
            db_instances.update(self.database, instance.uuid, {"task_state": None})
            db_actions.event_fail(self.database, ctxt, instance.uuid, _EVENT, message)
            return
        db_actions.event_finish(self.database, ctxt, instance.uuid, _EVENT, "Success")
        node = next((n for n in db_nodes.list_(self.database) if n.host == dest), None)
        db_migrations.update(self.database, migration.id, {
            "dest_compute": dest, "dest_node": dest,
            "dest_host": node.host_ip if node else None})
        self.compute_rpc.prep_resize(ctxt, dest, instance, migration.id)
