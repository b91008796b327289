"""changePassword on the host: the driver sets the password in the guest (libvirt through
the QEMU guest agent). Nova's answers: a driver that cannot is a 501, a guest without an
agent a 409, a guest that is not running or refuses a 409; the task_state is cleared in
every case."""

import logging

from novalite import exception
from novalite.compute.manager.base import ManagerBase
from novalite.compute.states import power_state, task_states
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.virt import driver as virt_driver

LOG = logging.getLogger(__name__)

_EVENT = "compute_set_admin_password"


class PasswordManager(ManagerBase):
    def set_admin_password(self, ctxt, instance_uuid, password):
        with self._instance_lock(instance_uuid):
            instance = db_instances.get(self.database, instance_uuid)
            db_actions.event_start(self.database, ctxt, instance_uuid, _EVENT, self.host)
            error = None
            try:
                if self.driver.get_info(instance) != power_state.RUNNING:
                    raise exception.InstancePasswordSetFailed(
                        instance=instance_uuid, reason="instance is not running")
                self.driver.set_admin_password(instance, password)
            except NotImplementedError:
                error = exception.NotSupported()
            except virt_driver.AgentNotEnabled:
                error = exception.InstanceAgentNotEnabled()
            except exception.InstancePasswordSetFailed as e:
                error = e
            except Exception as e:
                LOG.warning("Setting the password of instance %s failed: %s",
                            instance_uuid, e)  # never the password itself
                error = exception.InstancePasswordSetFailed(instance=instance_uuid,
                                                            reason=str(e))
            finally:
                db_instances.update(self.database, instance_uuid, {"task_state": None},
                                    expected_task_state=[task_states.UPDATING_PASSWORD])
            self._event_finish(ctxt, instance, _EVENT, error)
            if error is not None:
                raise error
