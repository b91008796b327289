"""The conductor manager: schedule a request's instances, then cast each build to its host.

Also fails builds that made no progress for [conductor] build_timeout (e.g. their host died),
so no instance stays in BUILD forever, and drives image pre-distribution jobs, resuming at
start those a stopped conductor left unfinished.
"""

import datetime
import logging
import threading
import time

import oslo_messaging as messaging

from novalite import exception
from novalite.compute import notifications
from novalite.compute.rpcapi import ComputeRPC
from novalite.conductor.evacuate import EvacuationTasks
from novalite.conductor.live_migrate import LiveMigrationTasks
from novalite.conductor.migrate import MigrationTasks
from novalite.conductor.unshelve import UnshelveTasks
from novalite.context import get_admin_context
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.db import predistribution as db_jobs
from novalite.db import services as db_services
from novalite.objects.base import utcnow
from novalite.objects.instance import Instance
from novalite.objects.request_spec import RequestSpec
from novalite.scheduler.host_state import service_is_up
from novalite.scheduler.rpcapi import SchedulerRPC

LOG = logging.getLogger(__name__)


class ConductorManager(UnshelveTasks, MigrationTasks, LiveMigrationTasks, EvacuationTasks):
    target = messaging.Target(version="1.5")

    def __init__(self, conf, database, messaging_, host: str):
        self.conf = conf
        self.database = database
        self.host = host
        self.scheduler_rpc = SchedulerRPC(messaging_)
        self.compute_rpc = ComputeRPC(messaging_)
        self.notifier = notifications.Notifier(messaging_, "conductor." + host)
        # Set when the service stops: job drivers step back, leaving their jobs `running`
        # for the next conductor to resume.
        self._stopping = threading.Event()
        self._drivers: set[threading.Thread] = set()

    def init_host(self) -> None:
        self.resume_jobs()

    def cleanup_host(self) -> None:
        self._stopping.set()
        for thread in list(self._drivers):
            thread.join(timeout=5)

    def periodic_tasks(self):
        return [(self.conf.conductor.build_check_interval, self.fail_stuck_builds)]

    def build_instances(self, ctxt, instances, request_spec):
        instances = [Instance.from_primitive(i) for i in instances]
        spec = RequestSpec.from_primitive(request_spec)
        if spec.num_attempts > self.conf.scheduler.max_attempts:
            for instance in instances:
                self._fail(ctxt, instance, exception.MaxRetriesExceeded(
                    reason="Exhausted all hosts available for retrying build failures for "
                           "instance %s." % instance.uuid))
            return
        try:
            hosts = self.scheduler_rpc.select_destinations(
                ctxt, spec, [i.uuid for i in instances])
        except exception.NoValidHost as e:
            for instance in instances:
                error = e
                if spec.num_attempts > 1:  # a reschedule found no host left to try (as Nova)
                    error = exception.MaxRetriesExceeded(
                        reason="Exhausted all hosts available for retrying build failures "
                               "for instance %s." % instance.uuid)
                self._fail(ctxt, instance, error)
            return
        for instance, host in zip(instances, hosts, strict=True):
            self.compute_rpc.build_and_run_instance(ctxt, host, instance, spec, {})

    def _fail(self, ctxt, instance: Instance, error: Exception) -> None:
        # str() of an exception raised across RabbitMQ ends with the remote traceback; the
        # fault users see carries the message only.
        message = getattr(error, "message", None) or str(error)
        LOG.warning("Build of instance %s failed: %s", instance.uuid, message)
        db_instances.set_error(self.database, instance.uuid, 500, message)
        db_actions.event_start(self.database, ctxt, instance.uuid,
                               "conductor_schedule_and_build_instances", self.host)
        db_actions.event_fail(self.database, ctxt, instance.uuid,
                              "conductor_schedule_and_build_instances", error)
        self.notifier.info(ctxt, "instance.create.error", instance, fault=message)

    def fail_stuck_builds(self) -> None:
        cutoff = utcnow() - datetime.timedelta(seconds=self.conf.conductor.build_timeout)
        for instance in db_instances.get_stale_builds(self.database, cutoff):
            LOG.warning("Instance %s made no build progress since %s; failing it",
                        instance.uuid, instance.updated_at)
            db_instances.set_error(
                self.database, instance.uuid, 500,
                "Build timed out after %d seconds without progress (host %s)"
                % (self.conf.conductor.build_timeout, instance.host or "none"))

    # -- image pre-distribution -------------------------------------------------------------

    def predistribute_image(self, ctxt, job_id):
        """Run a job in its own thread: it lasts as long as its downloads."""
        self._spawn_job(ctxt, db_jobs.get(self.database, job_id))

    def resume_jobs(self) -> None:
        """Jobs a stopped (or crashed) conductor left unfinished go on: their pending hosts
        are driven again. Hosts downloading are their compute host's: one that restarts
        starts its own downloads again, and one that is up is told once more, in case the
        message was lost with the conductor (a host ignores a download it already runs or
        finished). A job some other conductor is driving is taken over (it steps back):
        one driver per job, by compare-and-set on the job's row. Hosts get one
        service_down_time to report before they are called down, since this conductor
        cannot tell how long it (and they) were away."""
        grace_until = time.monotonic() + self.conf.service_down_time
        for job in db_jobs.unfinished(self.database):
            LOG.info("Resuming pre-distribution job %s (%s)", job.id, job.status)
            self._spawn_job(get_admin_context(), job, grace_until)

    def _spawn_job(self, ctxt, job, grace_until: float | None = None) -> None:
        """grace_until: set when resuming, see resume_jobs."""
        thread = threading.Thread(target=self._run_job, args=(ctxt, job, grace_until),
                                  daemon=True, name="predistribute-%s" % job.id[:8])
        self._drivers.add(thread)
        thread.start()

    def _run_job(self, ctxt, job, grace_until: float | None = None) -> None:
        try:
            lease = db_jobs.lease(self.database, job)
            if lease is None:
                return  # another conductor drives it (or it has finished)
            if grace_until is not None:
                self._retell_downloading(ctxt, job)
            try:
                self._drive_job(ctxt, job.id, lease, grace_until or 0.0)
            except Exception:
                if self._stopping.is_set():
                    return
                LOG.exception("Pre-distribution job %s failed", job.id)
                db_jobs.finish(self.database, job.id, lease, "error")
        finally:
            self._drivers.discard(threading.current_thread())

    def _retell_downloading(self, ctxt, job) -> None:
        up = self._hosts_up()
        for h in job.hosts:
            if h.state == "downloading" and h.host in up:
                self.compute_rpc.precache_image(ctxt, h.host, job.id, job.image_id)

    def _hosts_up(self) -> set[str]:
        return {s.host for s in db_services.list_(self.database, binary="novalite-compute")
                if service_is_up(s, self.conf.service_down_time)}

    def _drive_job(self, ctxt, job_id, lease, grace_until: float = 0.0,
                   interval: float = 0.1) -> None:
        """Hand hosts their downloads, at most precache_concurrency at a time; a host that
        is (or goes) down is reported `error: host down` and the others go on (after
        grace_until on the monotonic clock: before it, a down host is waited for)."""
        limit = self.conf.image_cache.precache_concurrency
        while True:
            job = db_jobs.get(self.database, job_id)
            if not db_jobs.still_driving(job, lease):
                LOG.info("Pre-distribution job %s is driven by another conductor now", job_id)
                return
            up = self._hosts_up()
            judge = time.monotonic() >= grace_until  # else a down host is waited for
            running = [h for h in job.hosts if h.state == "downloading"]
            pending = [h for h in job.hosts if h.state == "pending"]
            for h in running:
                if judge and h.host not in up:
                    db_jobs.update_host(self.database, job_id, h.host, {
                        "state": "error", "message": "host down"},
                        expected_states=("downloading",))
            free = max(0, limit - len(running))
            for h in pending:
                if h.host not in up:
                    if judge:
                        db_jobs.update_host(self.database, job_id, h.host, {
                            "state": "error", "message": "host down"},
                            expected_states=("pending",))
                elif free and db_jobs.update_host(self.database, job_id, h.host, {
                        "state": "downloading"}, expected_states=("pending",)):
                    free -= 1
                    self.compute_rpc.precache_image(ctxt, h.host, job_id, job.image_id)
            if not running and not pending:
                break
            if self._stopping.wait(interval):
                return  # left `running`: the next conductor to start resumes it
        states = {h.state for h in db_jobs.get(self.database, job_id).hosts}
        status = "error" if "error" in states else \
            "cancelled" if "cancelled" in states else "done"
        if db_jobs.finish(self.database, job_id, lease, status):
            LOG.info("Pre-distribution job %s finished: %s", job_id, status)
