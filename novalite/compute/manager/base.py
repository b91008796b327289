"""What every family of the compute manager shares: the host's driver, tracker, image
cache and clients; the service lifecycle (init_host reconciles the database with the
hypervisor after a restart); the power-state sync; and the helpers that save state with a
compare-and-swap and record instance-action events."""

import contextlib
import logging
import threading
import traceback

from oslo_concurrency import lockutils

from novalite import exception, network
from novalite.compute import image_cache, notifications
from novalite.compute.resource_tracker import ResourceTracker
from novalite.compute.rpcapi import ComputeRPC
from novalite.compute.states import power_state, task_states, vm_states
from novalite.conductor.rpcapi import ConductorRPC
from novalite.db import cached_images as db_cached
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.db import predistribution as db_jobs
from novalite.db import server_migrations as db_migrations
from novalite.image import client as image_client
from novalite.objects.instance import Instance
from novalite.virt import driver as virt_driver

LOG = logging.getLogger(__name__)

_MOVE_TASK_STATES = {task_states.RESIZE_PREP, task_states.RESIZE_MIGRATING,
                     task_states.RESIZE_MIGRATED, task_states.RESIZE_FINISH,
                     task_states.RESIZE_REVERTING, task_states.MIGRATING}


class ManagerBase:
    def __init__(self, conf, database, messaging_, host: str, driver=None,
                 instances_path: str | None = None, image_api=None, network_api=None):
        self.conf = conf
        self.database = database
        self.host = host
        self.driver = driver or virt_driver.load(conf, host)
        self.tracker = ResourceTracker(conf, database, host, self.driver)
        self.network_api = network_api or network.from_conf(conf, database)
        self.conductor_rpc = ConductorRPC(messaging_)
        self.compute_rpc = ComputeRPC(messaging_)  # the other host of a move
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

    def _bind_network_here(self, instance: Instance) -> None:
        """A server arriving on this host: its ports follow it, and its network info is
        saved as they are now."""
        instance.network_info = self.network_api.setup_instance_network_on_host(instance,
                                                                                self.host)
        db_instances.update(self.database, instance.uuid,
                            {"network_info": instance.network_info})

    # -- service lifecycle ------------------------------------------------------------------

    def init_host(self) -> None:
        self.destroy_evacuated_instances()  # before anything counts them as this host's
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
        elif instance.task_state in (task_states.REBUILDING,
                                     task_states.REBUILD_BLOCK_DEVICE_MAPPING,
                                     task_states.REBUILD_SPAWNING):
            # As Nova: a rebuild cut short leaves no usable disk behind.
            db_instances.set_error(self.database, instance.uuid, 500,
                                   "Rebuild interrupted: the compute service restarted",
                                   host=self.host)
        elif instance.task_state in _MOVE_TASK_STATES:
            # A resize or migration cut short: its migration fails and the server stays
            # where its row says, with a fault (Nova's _init_instance does alike).
            for migration in db_migrations.for_instance(self.database, instance.uuid):
                if migration.in_progress:
                    db_migrations.update(self.database, migration.id, {"status": "error"})
            db_instances.fault_create(self.database, instance.uuid, 500,
                                      "Move interrupted: the compute service restarted",
                                      host=self.host)
            db_instances.update(self.database, instance.uuid, {
                "task_state": None, "power_state": self.driver.get_info(instance)})
        elif instance.vm_state == vm_states.SHELVED_OFFLOADED:
            # An unshelve cut short: it stays offloaded, with nothing left here.
            with contextlib.suppress(Exception):
                self.driver.destroy(instance)
            self.image_cache.remove_instance(instance.uuid)
            db_instances.update(self.database, instance.uuid, {
                "host": None, "node": None, "task_state": None})
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
        if self.conf.shelved_poll_interval > 0 and self.conf.shelved_offload_time > 0:
            tasks.append((self.conf.shelved_poll_interval, self.offload_shelved_instances))
        if self.conf.resize_confirm_window > 0:
            tasks.append((min(60, self.conf.resize_confirm_window),
                          self.confirm_expired_resizes))
        if self.conf.reclaim_instance_interval > 0:
            tasks.append((self.conf.reclaim_instance_interval, self.reclaim_queued_deletes))
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
                  for image_id in (i.image_ref, i.kernel_id, i.ramdisk_id,
                                   i.system_metadata.get("disk_image_id")) if image_id}
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

    # -- helpers ----------------------------------------------------------------------------

    def _host_action(self, ctxt, instance_uuid, event, do, final_vm_state, notification,
                     fail_to_error: bool = False, on_failure=None,
                     final_task_state=None) -> bool:
        """Run do(instance) (a driver operation; it may return more values to save) under
        the instance's lock, then set final_vm_state (and final_task_state). On failure,
        on_failure(instance) undoes what it can, then, with a fault and the event's error:
        the task_state is cleared and the vm_state kept (Nova's reverts_task_state), or
        the instance goes to ERROR when fail_to_error (the guest is in no known state: a
        failed rescue or unrescue). -> whether it succeeded."""
        with self._instance_lock(instance_uuid):
            try:
                instance = db_instances.get(self.database, instance_uuid)
            except exception.InstanceNotFound:
                return False
            db_actions.event_start(self.database, ctxt, instance_uuid, event, self.host)
            self.notifier.info(ctxt, notification + ".start", instance)
            try:
                extra = do(instance) or {}
            except Exception as e:
                LOG.exception("%s of instance %s failed", event, instance_uuid)
                if on_failure is not None:
                    on_failure(instance)
                if fail_to_error:
                    db_instances.set_error(self.database, instance_uuid, 500, str(e),
                                           details=traceback.format_exc(), host=self.host)
                else:
                    db_instances.fault_create(self.database, instance_uuid, 500, str(e),
                                              details=traceback.format_exc(),
                                              host=self.host)
                    with contextlib.suppress(exception.InstanceNotFound):
                        db_instances.update(self.database, instance_uuid, {
                            "task_state": None,
                            "power_state": self.driver.get_info(instance)})
                self._event_finish(ctxt, instance, event, e)
                self.notifier.info(ctxt, notification + ".error", instance, fault=str(e))
                return False
            db_instances.update(self.database, instance_uuid, {
                "vm_state": final_vm_state, "task_state": final_task_state,
                "power_state": self.driver.get_info(instance), **extra})
            self._event_finish(ctxt, instance, event, None)
            self.notifier.info(ctxt, notification + ".end", instance)
            return True

    def _instance_lock(self, uuid):
        return lockutils.lock("instance-%s-%s" % (self.host, uuid))

    def _save(self, instance: Instance, values: dict, expected, conn=None) -> None:
        db_instances.update(self.database, instance.uuid, values, expected_task_state=expected,
                            conn=conn)
        for key, value in values.items():
            setattr(instance, key, value)

    def _event_finish(self, ctxt, instance, event, error, conn=None) -> None:
        if error is None:
            db_actions.event_finish(self.database, ctxt, instance.uuid, event, "Success",
                                    conn=conn)
        else:
            db_actions.event_fail(self.database, ctxt, instance.uuid, event, error, conn=conn)


def _service_context():
    from novalite.context import get_admin_context

    return get_admin_context()
