"""Builds: per-instance lock -> build semaphore -> resource claim -> network ->
driver.spawn, saving each task_state step with a compare-and-swap so a concurrent delete
wins cleanly. A claim or spawn failure hands the instance back to the conductor for another
host; an image that cannot be fetched fails the build (another host would fetch the same
bytes). The image reaches the host's cache (compute/image_cache.py) before spawn."""

import contextlib
import logging
import traceback

from novalite import exception
from novalite.compute.manager.base import ManagerBase
from novalite.compute.states import task_states, vm_states
from novalite.db import aggregates as db_aggregates
from novalite.db import cached_images as db_cached
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.network import errors as network_errors
from novalite.objects.base import utcnow
from novalite.objects.instance import Instance
from novalite.objects.request_spec import RequestSpec
from novalite.virt import driver as virt_driver

LOG = logging.getLogger(__name__)


class BuildManager(ManagerBase):
    def build_and_run_instance(self, ctxt, instance, request_spec, filter_properties):
        instance = Instance.from_primitive(instance)
        spec = RequestSpec.from_primitive(request_spec)
        with self._instance_lock(instance.uuid):
            db_actions.event_start(self.database, ctxt, instance.uuid,
                                   "compute_build_and_run_instance", self.host)
            try:
                # Claim first, so the usage is reported before we wait for a build slot.
                self._claim(instance)
                with self._build_semaphore:
                    self._build_and_run(ctxt, instance)
            except exception.RescheduledException as e:
                self._event_finish(ctxt, instance, "compute_build_and_run_instance", e)
                self._reschedule(ctxt, instance, spec, e)
            except (exception.InstanceNotFound, exception.InstanceInvalidState):
                LOG.info("Instance %s was deleted during its build", instance.uuid)
                self._cleanup_failed_build(instance)
                self._event_finish(ctxt, instance, "compute_build_and_run_instance",
                                   "deleted during build")
            except Exception as e:
                LOG.exception("Build of instance %s failed", instance.uuid)
                self._cleanup_failed_build(instance)
                db_instances.set_error(self.database, instance.uuid, 500, str(e),
                                       details=traceback.format_exc(), host=self.host)
                self._event_finish(ctxt, instance, "compute_build_and_run_instance", e)
                self.notifier.info(ctxt, "instance.create.error", instance, fault=str(e))

    def _claim(self, instance: Instance) -> None:
        try:
            self.tracker.instance_claim(instance)
        except exception.ComputeResourcesUnavailable as e:
            raise exception.RescheduledException(instance_uuid=instance.uuid,
                                                 reason=e.message) from e

    def _build_and_run(self, ctxt, instance: Instance) -> None:
        self.notifier.info(ctxt, "instance.create.start", instance)
        az = db_aggregates.host_zones(self.database).get(self.host,
                                                         self.conf.default_availability_zone)
        try:
            self._spawn(instance, az)
        except exception.VirtualInterfaceCreateException as e:
            raise exception.BuildAbortException(
                instance_uuid=instance.uuid,
                reason="Failed to allocate the network(s), not rescheduling.") from e
        values = {"vm_state": vm_states.ACTIVE, "task_state": None,
                  "power_state": self.driver.get_info(instance), "launched_at": utcnow()}
        # As Nova's configdrive.update_instance: a drive the host gave unasked (forced by
        # [DEFAULT] force_config_drive) is recorded, so the API shows what the guest has.
        if not instance.config_drive and self.driver.config_drive_required(instance):
            values["config_drive"] = "True"
        with self.database.writer() as conn:
            self._save(instance, values, expected=task_states.SPAWNING, conn=conn)
            self._event_finish(ctxt, instance, "compute_build_and_run_instance", None,
                               conn=conn)
        self.notifier.info(ctxt, "instance.create.end", instance)

    def _spawn(self, instance: Instance, az: str) -> None:
        with contextlib.ExitStack() as plugged:
            # Exits after spawn, waiting there for the ports' network-vif-plugged events
            # (registered before the ports are bound, which makes them come).
            self._allocate_network(instance, az, plugged)
            self._save(instance, {"task_state": task_states.SPAWNING},
                       expected=task_states.BLOCK_DEVICE_MAPPING)
            # Not a reschedule when this fails: every host would fetch the same bytes.
            image = self.image_cache.prepare(instance.uuid, instance.image_ref)
            if image.downloaded:  # the scheduler's image weigher now prefers this host
                db_cached.record(self.database, self.host, image.id, image.meta.get("size"))
            for boot_image in filter(None, (instance.kernel_id, instance.ramdisk_id)):
                self.image_cache.precache(boot_image)  # a direct kernel boot's files
            try:
                self.driver.spawn(instance, image=image, network_info=instance.network_info)
            except virt_driver.HypervisorError as e:
                raise exception.RescheduledException(instance_uuid=instance.uuid,
                                                     reason=str(e)) from e

    def _allocate_network(self, instance: Instance, az: str, plugged) -> None:
        """task_state networking -> block_device_mapping, with the server's network info.
        The built-in network's rows join the build's transaction (one write-lock wait
        instead of three); ports come from the network service, outside it. A failure
        there fails the build without a reschedule, as Nova's."""
        values = {"host": self.host, "node": self.host, "availability_zone": az,
                  "task_state": task_states.NETWORKING}
        if self.network_api.joins_transaction:
            with self.database.writer() as conn:
                self._save(instance, values, expected=task_states.SCHEDULING, conn=conn)
                instance.network_info = self.network_api.allocate_for_instance(
                    instance, instance.requested_networks, conn=conn)
                if self.driver.config_drive_required(instance):
                    instance.network_info = self.network_api.add_subnet_details(
                        instance.network_info)
                self._save(instance, {"network_info": instance.network_info,
                                      "task_state": task_states.BLOCK_DEVICE_MAPPING},
                           expected=task_states.NETWORKING, conn=conn)
            return
        self._save(instance, values, expected=task_states.SCHEDULING)
        try:
            instance.network_info = self.network_api.allocate_for_instance(
                instance, instance.requested_networks, self.host, "compute:" + az,
                security_groups=instance.security_groups,
                before_bind=lambda ports: plugged.enter_context(
                    self.wait_for_vif_plugged(instance, ports)))
            if self.driver.config_drive_required(instance):  # for its network_data.json
                instance.network_info = self.network_api.add_subnet_details(
                    instance.network_info)
        except network_errors.PortBindingFailed as e:  # no live agent here: try elsewhere
            raise exception.RescheduledException(instance_uuid=instance.uuid,
                                                 reason=e.message) from e
        except exception.NovaliteException as e:
            LOG.error("Failed to allocate the network(s) of instance %s: %s", instance.uuid,
                      e)
            raise exception.BuildAbortException(
                instance_uuid=instance.uuid,
                reason="Failed to allocate the network(s), not rescheduling.") from e
        self._save(instance, {"network_info": instance.network_info,
                              "task_state": task_states.BLOCK_DEVICE_MAPPING},
                   expected=task_states.NETWORKING)

    def _reschedule(self, ctxt, instance: Instance, spec: RequestSpec, error) -> None:
        LOG.info("Rescheduling instance %s away from %s: %s", instance.uuid, self.host, error)
        self._cleanup_failed_build(instance)
        db_instances.fault_create(self.database, instance.uuid, 500, str(error),
                                  host=self.host)
        try:
            self._save(instance, {"host": None, "node": None, "network_info": [],
                                  "task_state": task_states.SCHEDULING},
                       expected=[task_states.SCHEDULING, task_states.NETWORKING,
                                 task_states.BLOCK_DEVICE_MAPPING, task_states.SPAWNING])
        except (exception.InstanceNotFound, exception.InstanceInvalidState):
            return  # deleted meanwhile: nothing to reschedule
        spec.ignore_hosts = sorted({*spec.ignore_hosts, self.host})
        spec.num_attempts += 1
        spec.num_instances = 1
        self.conductor_rpc.build_instances(ctxt, [instance], spec)

    def _cleanup_failed_build(self, instance: Instance) -> None:
        with contextlib.suppress(Exception):
            self.driver.destroy(instance)
        self.image_cache.remove_instance(instance.uuid)
        self.network_api.deallocate_for_instance(instance)
        self.tracker.release(instance.uuid)
