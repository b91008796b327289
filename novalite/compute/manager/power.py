"""The power family on the host: reboot, stop/start, pause/unpause, suspend/resume and
the crash-dump NMI. Each runs the driver's operation under the instance's lock and sets
the final state; a failure leaves the vm_state as it was, with a fault."""

import logging

from novalite import exception
from novalite.compute.manager.base import ManagerBase
from novalite.compute.states import vm_states
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances

LOG = logging.getLogger(__name__)


class PowerManager(ManagerBase):
    def reboot_instance(self, ctxt, instance_uuid, reboot_type):
        self._host_action(ctxt, instance_uuid, "compute_reboot_instance",
                           lambda inst: self.driver.reboot(inst, reboot_type),
                           vm_states.ACTIVE, "instance.reboot")

    def stop_instance(self, ctxt, instance_uuid):
        self._host_action(ctxt, instance_uuid, "compute_stop_instance",
                           self.driver.power_off, vm_states.STOPPED, "instance.power_off")

    def start_instance(self, ctxt, instance_uuid):
        self._host_action(ctxt, instance_uuid, "compute_start_instance",
                           self.driver.power_on, vm_states.ACTIVE, "instance.power_on")

    def pause_instance(self, ctxt, instance_uuid):
        self._host_action(ctxt, instance_uuid, "compute_pause_instance", self.driver.pause,
                           vm_states.PAUSED, "instance.pause")

    def unpause_instance(self, ctxt, instance_uuid):
        self._host_action(ctxt, instance_uuid, "compute_unpause_instance",
                           self.driver.unpause, vm_states.ACTIVE, "instance.unpause")

    def suspend_instance(self, ctxt, instance_uuid):
        self._host_action(ctxt, instance_uuid, "compute_suspend_instance",
                           self.driver.suspend, vm_states.SUSPENDED, "instance.suspend")

    def resume_instance(self, ctxt, instance_uuid):
        self._host_action(ctxt, instance_uuid, "compute_resume_instance",
                           self.driver.resume, vm_states.ACTIVE, "instance.resume")

    def trigger_crash_dump(self, ctxt, instance_uuid):
        """No state change: the NMI reaches the guest's kernel, which dumps and reboots."""
        with self._instance_lock(instance_uuid):
            try:
                instance = db_instances.get(self.database, instance_uuid)
            except exception.InstanceNotFound:
                return
            event = "compute_trigger_crash_dump"
            db_actions.event_start(self.database, ctxt, instance_uuid, event, self.host)
            self.notifier.info(ctxt, "instance.trigger_crash_dump.start", instance)
            try:
                self.driver.trigger_crash_dump(instance)
            except Exception as e:
                LOG.warning("Crash dump of instance %s failed: %s", instance_uuid, e)
                self._event_finish(ctxt, instance, event, e)
                return
            self._event_finish(ctxt, instance, event, None)
            self.notifier.info(ctxt, "instance.trigger_crash_dump.end", instance)
