"""The conductor's part of unshelve: a SHELVED server still has its host and guest, so the
host just powers it on; an offloaded one is placed by the scheduler (its zone, 2.91's
host) and spawned there from its shelved image. No host found: it stays
SHELVED_OFFLOADED, as in Nova."""

import logging

from novalite import exception
from novalite.compute.states import vm_states
from novalite.db import images as db_images
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.objects.request_spec import RequestSpec

LOG = logging.getLogger(__name__)

_EVENT = "schedule_instances"


class UnshelveTasks:
    def unshelve_instance(self, ctxt, instance_uuid, host=None):
        try:
            instance = db_instances.get(self.database, instance_uuid)
        except exception.InstanceNotFound:
            return
        if instance.vm_state == vm_states.SHELVED:
            self.compute_rpc.unshelve_instance(ctxt, instance.host, instance)
            return
        image_id = instance.system_metadata.get("shelved_image_id")
        try:
            db_images.get(self.database, image_id or "")
        except exception.ImageNotFound:
            reason = "Unshelve attempted but the image %s cannot be found." % image_id
            LOG.error("Instance %s: %s", instance_uuid, reason)
            db_instances.set_error(self.database, instance_uuid, 500, reason)
            return
        spec = RequestSpec(project_id=instance.project_id, user_id=instance.user_id,
                           flavor=instance.flavor, image_ref=image_id,
                           availability_zone=instance.requested_availability_zone,
                           force_hosts=[host] if host else [])
        db_actions.event_start(self.database, ctxt, instance_uuid, _EVENT, self.host)
        try:
            (chosen,) = self.scheduler_rpc.select_destinations(ctxt, spec, [instance_uuid])
        except exception.NoValidHost as e:
            LOG.warning("No valid host found to unshelve instance %s", instance_uuid)
            db_instances.update(self.database, instance_uuid, {"task_state": None})
            db_actions.event_fail(self.database, ctxt, instance_uuid, _EVENT, e)
            return
        db_actions.event_finish(self.database, ctxt, instance_uuid, _EVENT, "Success")
        self.compute_rpc.unshelve_instance(ctxt, chosen, instance)
