"""The conductor manager: schedule a request's instances, then cast each build to its host.

Also fails builds that made no progress for [conductor] build_timeout (e.g. their host died),
so no instance stays in BUILD forever.
"""

import datetime
import logging
import threading
import time

import oslo_messaging as messaging

from novalite import exception
from novalite.compute import notifications
from novalite.compute.rpcapi import ComputeRPC
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


class ConductorManager:
    target = messaging.Target(version="1.1")

    def __init__(self, conf, database, messaging_, host: str):
        self.conf = conf
        self.database = database
        self.host = host
        self.scheduler_rpc = SchedulerRPC(messaging_)
        self.compute_rpc = ComputeRPC(messaging_)
        self.notifier = notifications.Notifier(messaging_, "conductor." + host)

    def init_host(self) -> None:
        pass

    def cleanup_host(self) -> None:
        pass

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
        db_actions.event_finish(self.database, ctxt, instance.uuid,
                                "conductor_schedule_and_build_instances", "Error",
                                traceback=str(error))
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
        threading.Thread(target=self._run_job, args=(ctxt, job_id), daemon=True,
                         name="predistribute-%s" % job_id[:8]).start()

    def _run_job(self, ctxt, job_id) -> None:
        try:
            self._drive_job(ctxt, job_id)
        except Exception:
            LOG.exception("Pre-distribution job %s failed", job_id)
            db_jobs.update_job(self.database, job_id, {
                "status": "error", "finished_at": utcnow()}, expected_status=("running",))

    def _drive_job(self, ctxt, job_id, interval: float = 0.1) -> None:
        """Hand hosts their downloads, at most precache_concurrency at a time; a host that
        is (or goes) down is reported `error: host down` and the others go on."""
        if not db_jobs.update_job(self.database, job_id, {
                "status": "running", "started_at": utcnow()}, expected_status=("pending",)):
            return
        limit = self.conf.image_cache.precache_concurrency
        while True:
            job = db_jobs.get(self.database, job_id)
            services = {s.host: s for s in
                        db_services.list_(self.database, binary="novalite-compute")}

            def up(host, services=services):
                service = services.get(host)
                return service is not None and service_is_up(
                    service, self.conf.service_down_time)

            running = [h for h in job.hosts if h.state == "downloading"]
            pending = [h for h in job.hosts if h.state == "pending"]
            for h in running:
                if not up(h.host):
                    db_jobs.update_host(self.database, job_id, h.host, {
                        "state": "error", "message": "host down"},
                        expected_states=("downloading",))
            free = max(0, limit - len(running))
            for h in pending:
                if not up(h.host):
                    db_jobs.update_host(self.database, job_id, h.host, {
                        "state": "error", "message": "host down"}, expected_states=("pending",))
                elif free and db_jobs.update_host(self.database, job_id, h.host, {
                        "state": "downloading"}, expected_states=("pending",)):
                    free -= 1
                    self.compute_rpc.precache_image(ctxt, h.host, job_id, job.image_id)
            if not running and not pending:
                break
            time.sleep(interval)
        states = {h.state for h in db_jobs.get(self.database, job_id).hosts}
        status = "error" if "error" in states else \
            "cancelled" if "cancelled" in states else "done"
        db_jobs.update_job(self.database, job_id, {"status": status, "finished_at": utcnow()},
                           expected_status=("running",))
        LOG.info("Pre-distribution job %s finished: %s", job_id, status)
