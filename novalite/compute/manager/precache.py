"""Image pre-distribution on the host: downloads into the image cache for a job, with
progress, one thread per job so RPC workers stay free for builds."""

import datetime
import logging
import threading
import time

from keystoneauth1 import exceptions as ks_exceptions

from novalite import exception
from novalite.compute.manager.base import ManagerBase
from novalite.db import cached_images as db_cached
from novalite.db import predistribution as db_jobs
from novalite.image import client as image_client
from novalite.objects.base import utcnow

LOG = logging.getLogger(__name__)


class PrecacheManager(ManagerBase):
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
