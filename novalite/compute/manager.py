"""The compute manager: the RPC endpoints of one compute host.

A build: per-instance lock -> build semaphore -> resource claim -> network -> driver.spawn,
saving each task_state step with a compare-and-swap so a concurrent delete wins cleanly.
A claim or spawn failure hands the instance back to the conductor for another host; an
image that cannot be fetched fails the build (another host would fetch the same bytes).
The image reaches the host's cache (image_cache.py) before spawn.
"""

import contextlib
import datetime
import logging
import threading
import time
import traceback

import oslo_messaging as messaging
from oslo_concurrency import lockutils

from novalite import exception
from novalite.compute import image_cache, notifications
from novalite.compute.resource_tracker import ResourceTracker
from novalite.compute.states import power_state, task_states, vm_states
from novalite.conductor.rpcapi import ConductorRPC
from novalite.db import aggregates as db_aggregates
from novalite.db import cached_images as db_cached
from novalite.db import images as db_images
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.db import predistribution as db_jobs
from novalite.image import client as image_client
from novalite.network.api import NetworkAPI
from novalite.objects.base import utcnow
from novalite.objects.instance import Instance
from novalite.objects.request_spec import RequestSpec
from novalite.virt import driver as virt_driver

LOG = logging.getLogger(__name__)


class ComputeManager:
    target = messaging.Target(version="1.2")

    def __init__(self, conf, database, messaging_, host: str, driver=None,
                 instances_path: str | None = None, image_api=None):
        self.conf = conf
        self.database = database
        self.host = host
        self.driver = driver or virt_driver.load(conf, host)
        self.tracker = ResourceTracker(conf, database, host, self.driver)
        self.network_api = NetworkAPI(conf, database)
        self.conductor_rpc = ConductorRPC(messaging_)
        self.notifier = notifications.Notifier(messaging_, "compute." + host)
        self._build_semaphore = threading.Semaphore(conf.compute.max_concurrent_builds)
        self.image_cache = image_cache.ImageCache(
            instances_path or image_cache.host_path(conf, host),
            image_api or image_client.from_conf(conf))

    # -- service lifecycle ------------------------------------------------------------------

    def init_host(self) -> None:
        instances = db_instances.get_by_host(self.database, self.host)
        self.driver.init_host(instances)
        self.image_cache.remove_partial_downloads()
        db_cached.sync(self.database, self.host, self.image_cache.cached_images())
        self.tracker.update_available_resource()
        for instance in instances:
            self._init_instance(instance)
        # Pre-distribution downloads a restart cut short start again from the beginning
        # (the partial file is gone), so no half image ever enters the cache.
        for job_id, image_id in db_jobs.unfinished_on_host(self.database, self.host):
            LOG.info("Restarting the interrupted download of image %s (job %s)", image_id,
                     job_id)
            self.precache_image(_service_context(), job_id, image_id)

    def _init_instance(self, instance: Instance) -> None:
        """Finish or undo what a restart interrupted, as Nova's _init_instance does."""
        ctxt = _service_context()
        if instance.task_state == task_states.DELETING:
            self._terminate(ctxt, instance)
        elif instance.vm_state == vm_states.BUILDING:
            self._cleanup_failed_build(instance)
            db_instances.set_error(self.database, instance.uuid, 500,
                                   "Build interrupted: the compute service restarted",
                                   host=self.host)
        elif instance.task_state is not None:
            db_instances.update(self.database, instance.uuid, {
                "task_state": None, "power_state": self.driver.get_info(instance)})

    def cleanup_host(self) -> None:
        self.driver.cleanup_host()

    def periodic_tasks(self):
        return [(self.conf.compute.update_resources_interval,
                 self.tracker.update_available_resource),
                (self.conf.image_cache.manager_interval, self.remove_unused_base_images)]

    def remove_unused_base_images(self) -> list[str]:
        in_use = {i.image_ref for i in db_instances.get_by_host(self.database, self.host)
                  if i.image_ref}
        # Pre-distributed images wait for their boot wave for [image_cache] precache_ttl.
        in_use |= db_cached.protected(self.database, self.host)
        removed = self.image_cache.remove_unused(
            in_use, self.conf.image_cache.remove_unused_base_images_age)
        if removed:
            db_cached.sync(self.database, self.host, self.image_cache.cached_images())
        return removed

    def ping(self, ctxt, value):
        return value

    # -- build ------------------------------------------------------------------------------

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
        # Host, network and block devices in one transaction: each task_state step is still
        # saved in order, but the build queues for the write lock once instead of thrice.
        with self.database.writer() as conn:
            self._save(instance, {"host": self.host, "node": self.host,
                                  "availability_zone": az, "task_state": task_states.NETWORKING},
                       expected=task_states.SCHEDULING, conn=conn)
            instance.network_info = self.network_api.allocate_for_instance(
                instance, instance.requested_networks, conn=conn)
            self._save(instance, {"network_info": instance.network_info,
                                  "task_state": task_states.BLOCK_DEVICE_MAPPING},
                       expected=task_states.NETWORKING, conn=conn)
        self._save(instance, {"task_state": task_states.SPAWNING},
                   expected=task_states.BLOCK_DEVICE_MAPPING)
        # Not a reschedule when this fails: every host would fetch the same bytes.
        image = self.image_cache.prepare(instance.uuid, instance.image_ref)
        if image.downloaded:  # the scheduler's image weigher now prefers this host
            db_cached.record(self.database, self.host, image.id, image.meta.get("size"))
        try:
            self.driver.spawn(instance, image=image, network_info=instance.network_info)
        except virt_driver.HypervisorError as e:
            raise exception.RescheduledException(instance_uuid=instance.uuid,
                                                 reason=str(e)) from e
        with self.database.writer() as conn:
            self._save(instance, {"vm_state": vm_states.ACTIVE, "task_state": None,
                                  "power_state": self.driver.get_info(instance),
                                  "launched_at": utcnow()},
                       expected=task_states.SPAWNING, conn=conn)
            self._event_finish(ctxt, instance, "compute_build_and_run_instance", None,
                               conn=conn)
        self.notifier.info(ctxt, "instance.create.end", instance)

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

    # -- life cycle actions -----------------------------------------------------------------

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

    def reboot_instance(self, ctxt, instance_uuid, reboot_type):
        self._power_action(ctxt, instance_uuid, "compute_reboot_instance",
                           lambda inst: self.driver.reboot(inst, reboot_type),
                           vm_states.ACTIVE, "instance.reboot")

    def stop_instance(self, ctxt, instance_uuid):
        self._power_action(ctxt, instance_uuid, "compute_stop_instance",
                           self.driver.power_off, vm_states.STOPPED, "instance.power_off")

    def start_instance(self, ctxt, instance_uuid):
        self._power_action(ctxt, instance_uuid, "compute_start_instance",
                           self.driver.power_on, vm_states.ACTIVE, "instance.power_on")

    def _power_action(self, ctxt, instance_uuid, event, do, final_vm_state, notification):
        with self._instance_lock(instance_uuid):
            try:
                instance = db_instances.get(self.database, instance_uuid)
            except exception.InstanceNotFound:
                return
            db_actions.event_start(self.database, ctxt, instance_uuid, event, self.host)
            self.notifier.info(ctxt, notification + ".start", instance)
            try:
                do(instance)
            except Exception as e:
                LOG.exception("%s of instance %s failed", event, instance_uuid)
                db_instances.fault_create(self.database, instance_uuid, 500, str(e),
                                          details=traceback.format_exc(), host=self.host)
                db_instances.update(self.database, instance_uuid, {
                    "task_state": None, "power_state": self.driver.get_info(instance)})
                self._event_finish(ctxt, instance, event, e)
                return
            db_instances.update(self.database, instance_uuid, {
                "vm_state": final_vm_state, "task_state": None,
                "power_state": self.driver.get_info(instance)})
            self._event_finish(ctxt, instance, event, None)
            self.notifier.info(ctxt, notification + ".end", instance)

    # -- image pre-distribution -------------------------------------------------------------

    def precache_image(self, ctxt, job_id, image_id):
        """Download an image into this host's cache for a pre-distribution job, reporting
        progress; in a thread of its own, so RPC workers stay free for builds."""
        threading.Thread(target=self._precache, args=(job_id, image_id), daemon=True,
                         name="precache-%s" % image_id[:8]).start()

    def _precache(self, job_id: str, image_id: str) -> None:
        last = [0.0]

        def progress(done, total):
            now = time.monotonic()
            if now - last[0] >= 0.25:  # a row write per quarter second, not per chunk
                last[0] = now
                db_jobs.update_host(self.database, job_id, self.host, {
                    "bytes_done": done, "bytes_total": total},
                    expected_states=("downloading",))

        try:
            state, size = self.image_cache.precache(image_id, progress)
        except Exception as e:
            LOG.warning("Pre-distribution of image %s failed: %s", image_id, e)
            db_jobs.update_host(self.database, job_id, self.host, {
                "state": "error", "message": str(e)[:255]}, expected_states=("downloading",))
            return
        until = utcnow() + datetime.timedelta(seconds=self.conf.image_cache.precache_ttl)
        db_cached.record(self.database, self.host, image_id, size, precached_until=until)
        db_jobs.update_host(self.database, job_id, self.host, {
            "state": state, "bytes_done": size, "bytes_total": size},
            expected_states=("downloading",))

    # -- snapshots and backups ------------------------------------------------------------

    def snapshot_instance(self, ctxt, instance_uuid, image_id, image_type, backup_type=None,
                          rotation=None):
        """The disk captured by the driver and streamed to the image service. task_state:
        image_backup|image_snapshot -> image_pending_upload -> image_uploading -> None."""
        event = "compute_%s_instance" % ("backup" if image_type == "backup" else "snapshot")
        with self._instance_lock(instance_uuid):
            try:
                instance = db_instances.get(self.database, instance_uuid)
            except exception.InstanceNotFound:
                self._delete_image(image_id)
                return
            db_actions.event_start(self.database, ctxt, instance_uuid, event, self.host)
            self.notifier.info(ctxt, "instance.snapshot.start", instance)
            try:
                self._snapshot(instance, image_id)
            except Exception as e:
                LOG.exception("Snapshot of instance %s into image %s failed", instance_uuid,
                              image_id)
                self._delete_image(image_id)
                db_instances.fault_create(self.database, instance_uuid, 500,
                                          "Snapshot into image %s failed: %s" % (image_id, e),
                                          details=traceback.format_exc(), host=self.host)
                with contextlib.suppress(exception.InstanceNotFound):
                    db_instances.update(self.database, instance_uuid, {"task_state": None})
                self._event_finish(ctxt, instance, event, e)
                return
            self._save(instance, {"task_state": None}, expected=task_states.IMAGE_UPLOADING)
            self._event_finish(ctxt, instance, event, None)
            self.notifier.info(ctxt, "instance.snapshot.end", instance)
        if image_type == "backup" and rotation is not None:
            self._rotate_backups(instance, backup_type, rotation)

    def _snapshot(self, instance: Instance, image_id: str) -> None:
        if instance.task_state == task_states.IMAGE_SNAPSHOT:
            self._save(instance, {"task_state": task_states.IMAGE_SNAPSHOT_PENDING},
                       expected=task_states.IMAGE_SNAPSHOT)
        captured_from = instance.task_state

        def update_task_state(task_state):
            self._save(instance, {"task_state": task_state}, expected=captured_from)

        with self.image_cache.snapshot_file(image_id) as path:
            disk_format = self.driver.snapshot(instance, path, update_task_state)
            if instance.task_state != task_states.IMAGE_PENDING_UPLOAD:
                update_task_state(task_states.IMAGE_PENDING_UPLOAD)
            client = self.image_cache.client
            if disk_format != client.show(image_id).get("disk_format"):
                client.set_properties(image_id, {"disk_format": disk_format})
            self._save(instance, {"task_state": task_states.IMAGE_UPLOADING},
                       expected=task_states.IMAGE_PENDING_UPLOAD)
            with open(path, "rb") as data:
                client.upload(image_id, data)

    def _delete_image(self, image_id: str) -> None:
        try:
            self.image_cache.client.delete(image_id)
        except Exception:
            LOG.exception("Image %s of a failed snapshot could not be deleted", image_id)

    def _rotate_backups(self, instance: Instance, backup_type: str, rotation: int) -> None:
        """Delete this server's oldest backups of backup_type beyond `rotation`, as Nova."""
        backups = [i for i in db_images.list_(self.database, None, {
            "owner": instance.project_id}, sort_key="created_at", sort_dir="desc")
            if i.properties.get("instance_uuid") == instance.uuid
            and i.properties.get("image_type") == "backup"
            and i.properties.get("backup_type") == backup_type]
        for image in backups[rotation:]:
            LOG.info("Rotating out backup %s of instance %s", image.id, instance.uuid)
            self._delete_image(image.id)

    # -- helpers ----------------------------------------------------------------------------

    def _instance_lock(self, uuid):
        return lockutils.lock("instance-%s-%s" % (self.host, uuid))

    def _save(self, instance: Instance, values: dict, expected, conn=None) -> None:
        db_instances.update(self.database, instance.uuid, values, expected_task_state=expected,
                            conn=conn)
        for key, value in values.items():
            setattr(instance, key, value)

    def _event_finish(self, ctxt, instance, event, error, conn=None) -> None:
        db_actions.event_finish(self.database, ctxt, instance.uuid, event,
                                "Success" if error is None else "Error",
                                traceback=None if error is None else str(error), conn=conn)


def _service_context():
    from novalite.context import get_admin_context

    return get_admin_context()


__all__ = ["ComputeManager", "power_state"]
