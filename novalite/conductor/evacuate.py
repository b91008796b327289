"""The conductor's part of an evacuation: the destination chosen by the scheduler (the
dead source left out) or forced (2.29-2.67), then told to rebuild the server there. No
host: the server stays where it was, its migration in error (as Nova)."""

import logging

from novalite import exception
from novalite.db import compute_nodes as db_nodes
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.db import server_migrations as db_migrations
from novalite.objects.request_spec import RequestSpec

LOG = logging.getLogger(__name__)

_EVENT = "conductor_rebuild_server"


class EvacuationTasks:
    def evacuate_instance(self, ctxt, instance_uuid, migration_id, host=None, force=False,
                          target_state=None):
        try:
            instance = db_instances.get(self.database, instance_uuid)
        except exception.InstanceNotFound:
            db_migrations.update(self.database, migration_id, {"status": "error"})
            return
        db_actions.event_start(self.database, ctxt, instance_uuid, _EVENT, self.host)
        if host and force:
            dest = host
        else:
            spec = RequestSpec(project_id=instance.project_id, user_id=instance.user_id,
                               flavor=instance.flavor, image_ref=instance.image_ref,
                               availability_zone=instance.requested_availability_zone,
                               ignore_hosts=[instance.host],
                               force_hosts=[host] if host else [])
            try:
                (dest,) = self.scheduler_rpc.select_destinations(ctxt, spec, [instance_uuid])
            except exception.NoValidHost as e:
                message = getattr(e, "message", None) or str(e)
                LOG.warning("No host to evacuate instance %s to: %s", instance_uuid, message)
                db_migrations.update(self.database, migration_id, {"status": "error"})
                db_instances.update(self.database, instance_uuid, {"task_state": None})
                db_instances.fault_create(self.database, instance_uuid, 500, message)
                db_actions.event_fail(self.database, ctxt, instance_uuid, _EVENT, e)
                return
        db_actions.event_finish(self.database, ctxt, instance_uuid, _EVENT, "Success")
        node = next((n for n in db_nodes.list_(self.database) if n.host == dest), None)
        db_migrations.update(self.database, migration_id, {
            "dest_compute": dest, "dest_node": dest,
            "dest_host": node.host_ip if node else None})
        self.compute_rpc.evacuate_instance(ctxt, dest, instance, migration_id, target_state)
