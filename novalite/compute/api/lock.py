"""lock and unlock. A locked server refuses every action, update and delete from a
non-admin (409, base._instance_for); the lock remembers who set it, so an owner cannot
undo an administrator's lock (unlock_override is admin-only)."""

from novalite.compute.api.base import ANY, ComputeAPIBase
from novalite.db import instances as db_instances
from novalite.objects.instance import Instance


class LockActions(ComputeAPIBase):
    def lock(self, ctxt, instance_id: str, reason: str | None = None) -> Instance:
        instance = self._instance_for(ctxt, instance_id, "lock",
                                      "os_compute_api:os-lock-server:lock", ANY, ANY,
                                      check_lock=False, must_have_launched=False)
        is_owner = instance.project_id == ctxt.project_id
        if instance.locked and is_owner:
            return instance  # as Nova: the owner's second lock changes nothing
        self._record_action(ctxt, instance, "lock")
        db_instances.update(self.database, instance.uuid, {
            "locked": True, "locked_by": "owner" if is_owner else "admin",
            "locked_reason": reason})
        self.notifier.info(ctxt, "instance.lock", instance)
        return instance

    def unlock(self, ctxt, instance_id: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "unlock",
                                      "os_compute_api:os-lock-server:unlock", ANY, ANY,
                                      check_lock=False, must_have_launched=False)
        expected = "owner" if instance.project_id == ctxt.project_id else "admin"
        if instance.locked_by and instance.locked_by != expected:
            ctxt.can("os_compute_api:os-lock-server:unlock:unlock_override",
                     {"project_id": instance.project_id})
        self._record_action(ctxt, instance, "unlock")
        db_instances.update(self.database, instance.uuid, {
            "locked": False, "locked_by": None, "locked_reason": None})
        self.notifier.info(ctxt, "instance.unlock", instance)
