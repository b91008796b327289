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
from keystoneauth1 import exceptions as ks_exceptions
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
    target = messaging.Target(version="1.4")

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
        # Set when the service stops: pre-distribution downloads under way give up and stay
        # `downloading`, for init_host to restart (a stopped host downloads nothing).
        self._stopping = threading.Event()
        self._precaching: dict[str, threading.Thread] = {}  # by job id
        self._precaching_lock = threading.Lock()
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
        self.sync_power_states()
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
        self._stopping.set()
        for thread in list(self._precaching.values()):
            thread.join(timeout=30)
        self.driver.cleanup_host()

    def periodic_tasks(self):
        tasks = [(self.conf.compute.update_resources_interval,
                  self.tracker.update_available_resource),
                 (self.conf.image_cache.manager_interval, self.remove_unused_base_images)]
        if self.conf.compute.sync_power_state_interval > 0:
            tasks.append((self.conf.compute.sync_power_state_interval,
                          self.sync_power_states))
        return tasks

    # -- power state sync -------------------------------------------------------------------

    def sync_power_states(self) -> None:
        """Match the database to the hypervisor, as Nova's _sync_power_states (at start and
        periodically): guests the database does not know are reported, never destroyed;
        an instance whose guest vanished goes to ERROR; an ACTIVE one whose guest shut down
        becomes SHUTOFF; a STOPPED one whose guest runs is powered off again."""
        instances = db_instances.get_by_host(self.database, self.host)
        unknown = sorted(set(self.driver.list_instances()) - {i.uuid for i in instances})
        if unknown:
            LOG.warning("Host %s has guests the database does not know (left alone): %s",
                        self.host, ", ".join(unknown))
        for instance in instances:
            try:
                self._sync_power_state(instance.uuid)
            except Exception:
                LOG.exception("Power state sync of instance %s failed", instance.uuid)

    def _sync_power_state(self, instance_uuid: str) -> None:
        with self._instance_lock(instance_uuid):
            try:
                instance = db_instances.get(self.database, instance_uuid)
            except exception.InstanceNotFound:
                return
            if instance.host != self.host or instance.task_state is not None or \
                    instance.vm_state not in (vm_states.ACTIVE, vm_states.STOPPED):
                return  # an action in progress will set the state itself
            state = self.driver.get_info(instance)
            values = {"power_state": state}
            if state == power_state.NOSTATE:
                LOG.warning("The guest of instance %s vanished from the hypervisor",
                            instance.uuid)
                values["vm_state"] = vm_states.ERROR
            elif instance.vm_state == vm_states.ACTIVE and state in (power_state.SHUTDOWN,
                                                                     power_state.CRASHED):
                LOG.warning("Instance %s shut down outside novalite: now SHUTOFF",
                            instance.uuid)
                values["vm_state"] = vm_states.STOPPED
            elif instance.vm_state == vm_states.STOPPED and state == power_state.RUNNING:
                LOG.warning("Instance %s is STOPPED but its guest runs: powering it off",
                            instance.uuid)
                self.driver.power_off(instance)
                values["power_state"] = self.driver.get_info(instance)
            if values == {"power_state": instance.power_state}:
                return
            try:
                db_instances.update(self.database, instance.uuid, values,
                                    expected_task_state=[None])
            except (exception.InstanceNotFound, exception.InstanceInvalidState):
                return  # deleted or acted on meanwhile
            if values.get("vm_state") == vm_states.ERROR:
                db_instances.fault_create(self.database, instance.uuid, 500,
                                          "domain vanished from the hypervisor",
                                          host=self.host)

    def remove_unused_base_images(self) -> list[str]:
        in_use = {image_id for i in db_instances.get_by_host(self.database, self.host)
                  for image_id in (i.image_ref, i.kernel_id, i.ramdisk_id) if image_id}
        # Pre-distributed images wait for their boot wave for [image_cache] precache_ttl.
        in_use |= db_cached.protected(self.database, self.host)
        removed = self.image_cache.remove_unused(
            in_use, self.conf.image_cache.remove_unused_base_images_age)
        if removed:
            db_cached.sync(self.database, self.host, self.image_cache.cached_images())
        return removed

    def ping(self, ctxt, value):
        return value

    def get_host_uptime(self, ctxt) -> str:
        return self.driver.get_host_uptime()

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
        for boot_image in filter(None, (instance.kernel_id, instance.ramdisk_id)):
            self.image_cache.precache(boot_image)  # a direct kernel boot's files
        try:
            self.driver.spawn(instance, image=image, network_info=instance.network_info)
        except virt_driver.HypervisorError as e:
            raise exception.RescheduledException(instance_uuid=instance.uuid,
                                                 reason=str(e)) from e
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

    def get_console_output(self, ctxt, instance_uuid, tail_length=None) -> str:
        """The guest's console output, its last tail_length lines if given (as Nova)."""
        instance = db_instances.get(self.database, instance_uuid)
        try:
            output = self.driver.get_console_output(instance)
        except virt_driver.InstanceNotRunning as e:
            raise exception.NotFound("Guest console is not available: %s" % e) from e
        if tail_length is not None:
            output = tail_lines(output, int(tail_length))
        return output

    # -- image pre-distribution -------------------------------------------------------------

    def precache_image(self, ctxt, job_id, image_id):
        """Download an image into this host's cache for a pre-distribution job, reporting
        progress; in a thread of its own, so RPC workers stay free for builds."""
        # Once per job at a time: init_host restarts a `downloading` row whose message
        # (sent while this host was down) may still be on its way.
        with self._precaching_lock:
            if job_id in self._precaching:
                return
            thread = self._precaching[job_id] = threading.Thread(
                target=self._precache, args=(job_id, image_id), daemon=True,
                name="precache-%s" % image_id[:8])
        thread.start()

    def _precache(self, job_id: str, image_id: str) -> None:
        try:
            if self._still_downloading(job_id):  # else a late duplicate: already done
                self._precache_image(job_id, image_id)
        finally:
            with self._precaching_lock:
                self._precaching.pop(job_id, None)

    def _still_downloading(self, job_id: str) -> bool:
        try:
            job = db_jobs.get(self.database, job_id)
        except exception.PredistributionJobNotFound:
            return False
        return any(h.host == self.host and h.state == "downloading" for h in job.hosts)

    def _precache_image(self, job_id: str, image_id: str) -> None:
        last = [0.0]

        def progress(done, total):
            if self._stopping.is_set():  # the temp file goes; the row stays `downloading`
                raise RuntimeError("the compute service is stopping")
            now = time.monotonic()
            if now - last[0] >= 0.25:  # a row write per quarter second, not per chunk
                last[0] = now
                db_jobs.update_host(self.database, job_id, self.host, {
                    "bytes_done": done, "bytes_total": total},
                    expected_states=("downloading",))

        try:
            state, size = self._precache_when_reachable(image_id, progress)
        except Exception as e:
            if self._stopping.is_set():
                LOG.info("Download of image %s (job %s) stopped with the service; it starts "
                         "again when the service does", image_id, job_id)
                return
            LOG.warning("Pre-distribution of image %s failed: %s", image_id, e)
            db_jobs.update_host(self.database, job_id, self.host, {
                "state": "error", "message": str(e)[:255]}, expected_states=("downloading",))
            return
        until = utcnow() + datetime.timedelta(seconds=self.conf.image_cache.precache_ttl)
        db_cached.record(self.database, self.host, image_id, size, precached_until=until)
        db_jobs.update_host(self.database, job_id, self.host, {
            "state": state, "bytes_done": size, "bytes_total": size},
            expected_states=("downloading",))

    def _precache_when_reachable(self, image_id: str, progress, wait: float = 30.0):
        """image_cache.precache, tried again for up to `wait` seconds while the image API
        refuses connections: downloads restarted at start may run before it listens (the
        all-in-one starts its services first) or while it restarts too."""
        deadline = time.monotonic() + wait
        while True:
            try:
                return self.image_cache.precache(image_id, progress)
            except image_client.ImageDownloadError as e:
                if not isinstance(e.__cause__, ks_exceptions.ConnectFailure) \
                        or time.monotonic() > deadline or self._stopping.wait(0.5):
                    raise

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


def tail_lines(text: str, length: int) -> str:
    """The last `length` lines, as Nova's _tail_log (a final newline ends an empty last
    line; 0 lines is empty)."""
    if length <= 0:
        return ""
    return "\n".join(text.split("\n")[-length:])


def _service_context():
    from novalite.context import get_admin_context

    return get_admin_context()


__all__ = ["ComputeManager", "power_state"]
