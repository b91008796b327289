"""Image pre-distribution: push one image into chosen compute hosts' caches before a boot
wave, and show per-host progress (a novalite extension; Nova 2.81's aggregate image cache
rides the same jobs).

The compute API records a job with a row per host and casts it to the conductor, which
hands the hosts their downloads [image_cache] precache_concurrency at a time; each host
downloads into the same `_base/` cache that spawn uses and reports bytes as they arrive.
A compute host stopped mid-download starts that download again when it starts (init_host);
a job a stopped conductor left unfinished is resumed by the next conductor to start.
"""

import uuid

from novalite import exception
from novalite.db import aggregates as db_aggregates
from novalite.db import predistribution as db_jobs
from novalite.db import services as db_services
from novalite.objects.predistribution import HostProgress, Job

POLICY = "os_compute_api:os-image-predistribution"


class PredistributionAPI:
    def __init__(self, conf, database, images, conductor_rpc):
        self.conf = conf
        self.database = database
        self.images = images
        self.conductor_rpc = conductor_rpc

    def _active_image(self, ctxt, image_id: str):
        try:
            image = self.images.get(ctxt, image_id)
        except exception.ImageNotFound:
            raise exception.Invalid("Image %s could not be found." % image_id) from None
        if image.status != "active":
            raise exception.Invalid("Image %s is not active (%s)." % (image_id, image.status))
        return image

    def _compute_hosts(self) -> list:
        return db_services.list_(self.database, binary="novalite-compute")

    def resolve_hosts(self, hosts=None, aggregate=None, availability_zone=None) -> list[str]:
        given = [t for t in (hosts, aggregate, availability_zone) if t is not None]
        if len(given) > 1:
            raise exception.Invalid("Give at most one of hosts, aggregate and "
                                    "availability_zone.")
        services = self._compute_hosts()
        if hosts is not None:
            known = {s.host for s in services}
            unknown = [h for h in hosts if h not in known]
            if unknown:
                raise exception.Invalid("Unknown compute hosts: %s." % ", ".join(unknown))
            chosen = list(dict.fromkeys(hosts))
        elif aggregate is not None:
            chosen = self._aggregate(aggregate).hosts
        elif availability_zone is not None:
            zones = db_aggregates.host_zones(self.database)
            default = self.conf.default_availability_zone
            chosen = [s.host for s in services if not s.disabled
                      and zones.get(s.host, default) == availability_zone]
            if not chosen:
                raise exception.Invalid("No enabled compute host in availability zone %s."
                                        % availability_zone)
        else:
            chosen = [s.host for s in services if not s.disabled]
        if not chosen:
            raise exception.Invalid("No compute host to pre-distribute to.")
        return chosen

    def _aggregate(self, aggregate):
        for candidate in db_aggregates.list_(self.database):
            if str(candidate.id) == str(aggregate) or candidate.uuid == str(aggregate):
                return candidate
        raise exception.AggregateNotFound(aggregate_id=aggregate)

    def create(self, ctxt, image_id: str, hosts=None, aggregate=None,
               availability_zone=None) -> Job:
        ctxt.can(POLICY)
        self._active_image(ctxt, image_id)
        chosen = self.resolve_hosts(hosts, aggregate, availability_zone)
        return self._start(ctxt, image_id, chosen)

    def _start(self, ctxt, image_id, hosts) -> Job:
        job = db_jobs.create(self.database, Job(
            id=str(uuid.uuid4()), image_id=image_id, project_id=ctxt.project_id,
            user_id=ctxt.user_id, hosts=[HostProgress(host=h) for h in hosts]))
        self.conductor_rpc.predistribute_image(ctxt, job.id)
        return job

    def cache_aggregate_images(self, ctxt, aggregate_id: int, image_ids: list[str]) -> list:
        """Nova 2.81: every image onto every host of the aggregate, one job per image."""
        ctxt.can("compute:aggregates:images")
        aggregate = db_aggregates.get(self.database, aggregate_id)
        for image_id in image_ids:
            self._active_image(ctxt, image_id)
        if not aggregate.hosts:
            return []
        return [self._start(ctxt, image_id, aggregate.hosts) for image_id in image_ids]

    def get(self, ctxt, job_id: str) -> Job:
        ctxt.can(POLICY)
        return db_jobs.get(self.database, job_id)

    def list(self, ctxt) -> list[Job]:
        ctxt.can(POLICY)
        return db_jobs.list_(self.database)

    def cancel(self, ctxt, job_id: str) -> None:
        """Hosts not started yet are cancelled; downloads under way finish."""
        ctxt.can(POLICY)
        job = db_jobs.get(self.database, job_id)
        if job.status in db_jobs.FINISHED:
            raise exception.Conflict("Job %s has already finished (%s)." % (job_id,
                                                                           job.status))
        db_jobs.cancel_pending(self.database, job_id)
