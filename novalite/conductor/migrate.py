"""The conductor's part of a resize or cold migration (Nova's MigrationTask): the
migration recorded, the destination chosen by the scheduler (the source host left out of
a cold migration, and of a resize unless [DEFAULT] allow_resize_to_same_host), then the
destination told to prepare. Called, not cast: a NoValidHost is the request's answer."""

import logging

import oslo_messaging as messaging

from novalite import exception
from novalite.db import compute_nodes as db_nodes
from novalite.db import instances as db_instances
from novalite.db import server_migrations as db_migrations
from novalite.objects.flavor import Flavor
from novalite.objects.migration import Migration
from novalite.objects.request_spec import RequestSpec

LOG = logging.getLogger(__name__)


class MigrationTasks:
    @messaging.expected_exceptions(exception.NoValidHost)
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
        try:
            (dest,) = self.scheduler_rpc.select_destinations(ctxt, spec, [instance.uuid])
        except exception.NoValidHost:
            LOG.info("No host to move instance %s to", instance.uuid)
            db_migrations.update(self.database, migration.id, {"status": "error"})
            db_instances.update(self.database, instance.uuid, {"task_state": None})
            raise
        node = next((n for n in db_nodes.list_(self.database) if n.host == dest), None)
        db_migrations.update(self.database, migration.id, {
            "dest_compute": dest, "dest_node": dest,
            "dest_host": node.host_ip if node else None})
        self.compute_rpc.prep_resize(ctxt, dest, instance, migration.id)
