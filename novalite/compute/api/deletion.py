"""Deleting servers: delete, and Nova's deferred delete. With [DEFAULT]
reclaim_instance_interval > 0 a delete only powers the guest off and leaves the server
SOFT_DELETED (not counted against quota), restorable until the host's periodic task
reclaims it; forceDelete deletes at once, in any state."""

import logging

from novalite import exception
from novalite.compute.api.base import ANY, ComputeAPIBase
from novalite.compute.states import task_states, vm_states
from novalite.db import instances as db_instances
from novalite.db import server_migrations as db_migrations
from novalite.objects.base import utcnow
from novalite.objects.instance import Instance

LOG = logging.getLogger(__name__)


class DeletionActions(ComputeAPIBase):
    def delete(self, ctxt, instance_id: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "delete",
                                      "os_compute_api:servers:delete", ANY, ANY,
                                      must_have_launched=False)
        if self.conf.reclaim_instance_interval > 0 and instance.launched_at:
            self._soft_delete(ctxt, instance)  # Nova: a never-launched server goes at once
        else:
            self._delete(ctxt, instance)

    def force_delete(self, ctxt, instance_id: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "forceDelete",
                                      "os_compute_api:os-deferred-delete:force", ANY, ANY,
                                      must_have_launched=False)
        self._delete(ctxt, instance)

    def _delete(self, ctxt, instance: Instance) -> None:
        self._record_action(ctxt, instance, "delete")
        if instance.vm_state in (vm_states.SHELVED, vm_states.SHELVED_OFFLOADED):
            self._delete_shelved_image(ctxt, instance)
        if instance.vm_state == vm_states.RESIZED:
            self._confirm_resize_on_deleting(ctxt, instance)
        if instance.host is None or not self._host_is_up(instance.host):
            self._local_delete(ctxt, instance)
            return
        db_instances.update(self.database, instance.uuid,
                            {"task_state": task_states.DELETING})
        self.compute_rpc.terminate_instance(ctxt, instance)

    def _confirm_resize_on_deleting(self, ctxt, instance: Instance) -> None:
        """As Nova: a server deleted in VERIFY_RESIZE is confirmed first, so its source
        host frees what it kept for a revert."""
        for migration in db_migrations.for_instance(self.database, instance.uuid,
                                                    status="finished"):
            if migration.source_compute and db_migrations.update(
                    self.database, migration.id, {"status": "confirming"},
                    expected_status="finished"):
                self.compute_rpc.confirm_resize(ctxt, migration.source_compute, instance,
                                                migration.id)

    def _delete_shelved_image(self, ctxt, instance: Instance) -> None:
        """As Nova: a shelved server's snapshot goes with it."""
        image_id = instance.system_metadata.get("shelved_image_id")
        if not image_id:
            return
        try:
            self.images.delete(ctxt.elevated(), image_id)
        except exception.NotFound:
            pass  # deleted by hand already
        except Exception:
            LOG.exception("Could not delete image %s of shelved instance %s", image_id,
                          instance.uuid)

    def _local_delete(self, ctxt, instance: Instance) -> None:
        """Delete with no compute host to ask: not scheduled yet, or its host is down."""
        LOG.info("Deleting instance %s locally (host %s)", instance.uuid, instance.host)
        self.notifier.info(ctxt, "instance.delete.start", instance)
        self.network_api.deallocate_for_instance(instance)
        db_instances.soft_delete(self.database, instance.uuid)
        self.notifier.info(ctxt, "instance.delete.end", instance)

    def _soft_delete(self, ctxt, instance: Instance) -> None:
        if instance.host is None or not self._host_is_up(instance.host):
            # No host to power the guest off: the row alone records it (Nova's local path).
            self._record_action(ctxt, instance, "delete")
            db_instances.update(self.database, instance.uuid, {
                "vm_state": vm_states.SOFT_DELETED, "task_state": None,
                "deleted_at": utcnow()})
            return
        # deleted_at starts the reclaim clock (Nova's), the row itself stays live.
        self._start_action(ctxt, instance, "delete", task_states.SOFT_DELETING, ANY,
                           values={"deleted_at": utcnow()})
        self.compute_rpc.soft_delete_instance(ctxt, instance)

    def restore(self, ctxt, instance_id: str) -> None:
        """A SOFT_DELETED server back to ACTIVE; it counts against quota again, so the
        check (Nova's 403) is made under the project's quota lock."""
        instance = self._instance_for(ctxt, instance_id, "restore",
                                      "os_compute_api:os-deferred-delete:restore",
                                      {vm_states.SOFT_DELETED})
        on_host = instance.host is not None

        def apply(conn):
            values = {"task_state": task_states.RESTORING} if on_host else {
                "vm_state": vm_states.ACTIVE, "task_state": None}
            db_instances.update(self.database, instance.uuid,
                                {**values, "deleted_at": None},
                                expected_task_state=[None], conn=conn)

        try:
            self.quota_engine.restore_instance(instance.project_id, instance.flavor, apply)
        except exception.InstanceInvalidState as e:
            raise exception.InstanceInvalidState(
                action="restore", instance_uuid=instance.uuid, attr="task_state",
                state=e.message.rsplit(" ", 1)[-1]) from e
        self._record_action(ctxt, instance, "restore")
        if on_host:
            self.compute_rpc.restore_instance(ctxt, instance)
