"""Deleting a guest: terminate (the guest, its disks, network and claim gone, the row
deleted), and the deferred delete: soft_delete powers the guest off and keeps everything,
restore powers it on again, and a periodic task reclaims (terminates) the servers
soft-deleted longer than [DEFAULT] reclaim_instance_interval ago."""

import datetime
import logging

from novalite import exception
from novalite.compute.manager.base import ManagerBase, _service_context
from novalite.compute.states import vm_states
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.objects.base import utcnow
from novalite.objects.instance import Instance

LOG = logging.getLogger(__name__)


class DeletionManager(ManagerBase):
    def terminate_instance(self, ctxt, instance_uuid):
        with self._instance_lock(instance_uuid):
            try:
                instance = db_instances.get(self.database, instance_uuid)
            except exception.InstanceNotFound:
                return
            self._terminate(ctxt, instance)

    def _terminate(self, ctxt, instance: Instance) -> None:
        self.notifier.info(ctxt, "instance.delete.start", instance)
        db_actions.event_start(self.database, ctxt, instance.uuid,
                               "compute_terminate_instance", self.host)
        self.driver.destroy(instance)
        self.image_cache.remove_instance(instance.uuid)
        self.network_api.deallocate_for_instance(instance)
        self.tracker.release(instance.uuid)
        db_instances.soft_delete(self.database, instance.uuid)
        self._event_finish(ctxt, instance, "compute_terminate_instance", None)
        self.notifier.info(ctxt, "instance.delete.end", instance)

    def soft_delete_instance(self, ctxt, instance_uuid):
        self._host_action(ctxt, instance_uuid, "compute_soft_delete_instance",
                           self.driver.power_off, vm_states.SOFT_DELETED,
                           "instance.soft_delete")

    def restore_instance(self, ctxt, instance_uuid):
        self._host_action(ctxt, instance_uuid, "compute_restore_instance",
                           self.driver.power_on, vm_states.ACTIVE, "instance.restore")

    def reclaim_queued_deletes(self) -> list[str]:
        """Terminate this host's servers soft-deleted for longer than the interval, as
        Nova's _reclaim_queued_deletes. -> the uuids reclaimed"""
        interval = self.conf.reclaim_instance_interval
        if interval <= 0:
            return []
        cutoff = utcnow() - datetime.timedelta(seconds=interval)
        reclaimed = []
        for instance in db_instances.get_by_host(self.database, self.host):
            if instance.vm_state != vm_states.SOFT_DELETED or instance.task_state or \
                    (instance.deleted_at and instance.deleted_at > cutoff):
                continue
            LOG.info("Reclaiming instance %s, soft-deleted at %s", instance.uuid,
                     instance.deleted_at)
            with self._instance_lock(instance.uuid):
                self._terminate(_service_context(), instance)
            reclaimed.append(instance.uuid)
        return reclaimed
