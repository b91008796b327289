"""Image pre-distribution jobs and their per-host progress rows.

One conductor drives a job at a time. The job's (status, started_at) pair is its driver's
lease: a conductor becomes the driver by a compare-and-set of that pair (lease), and a
driver whose started_at was replaced by another conductor's steps back (still_driving).
"""

import datetime

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import predistribution_hosts, predistribution_jobs
from novalite.objects.base import utcnow
from novalite.objects.predistribution import HostProgress, Job

FINISHED = ("done", "error", "cancelled")
UNFINISHED = ("pending", "running")
HOST_FINISHED = ("done", "already_cached", "error", "cancelled")


def create(database, job: Job) -> Job:
    job.created_at = utcnow()
    with database.writer() as conn:
        conn.execute(predistribution_jobs.insert().values(
            id=job.id, image_id=job.image_id, project_id=job.project_id,
            user_id=job.user_id, status=job.status, created_at=job.created_at))
        if job.hosts:
            conn.execute(predistribution_hosts.insert(), [
                {"job_id": job.id, "host": h.host, "state": h.state, "bytes_done": 0,
                 "bytes_total": h.bytes_total, "message": h.message,
                 "updated_at": job.created_at} for h in job.hosts])
    return job


def _load(conn, rows) -> list[Job]:
    jobs = [Job(id=r.id, image_id=r.image_id, project_id=r.project_id, user_id=r.user_id,
                status=r.status, created_at=r.created_at, started_at=r.started_at,
                finished_at=r.finished_at) for r in rows]
    if jobs:
        by_id = {j.id: j for j in jobs}
        for r in conn.execute(sa.select(predistribution_hosts)
                              .where(predistribution_hosts.c.job_id.in_(list(by_id)))
                              .order_by(predistribution_hosts.c.id)):
            by_id[r.job_id].hosts.append(HostProgress(
                host=r.host, state=r.state, bytes_done=r.bytes_done,
                bytes_total=r.bytes_total, message=r.message))
    return jobs


def get(database, job_id: str) -> Job:
    with database.reader() as conn:
        found = _load(conn, conn.execute(
            sa.select(predistribution_jobs).where(predistribution_jobs.c.id == job_id)))
    if not found:
        raise exception.PredistributionJobNotFound(job_id=job_id)
    return found[0]


def list_(database, limit: int = 100) -> list[Job]:
    query = (sa.select(predistribution_jobs)
             .order_by(predistribution_jobs.c.created_at.desc(), predistribution_jobs.c.id)
             .limit(limit))
    with database.reader() as conn:
        return _load(conn, conn.execute(query))


def update_job(database, job_id: str, values: dict, expected_status=None) -> bool:
    query = predistribution_jobs.update().where(predistribution_jobs.c.id == job_id)
    if expected_status is not None:
        query = query.where(predistribution_jobs.c.status.in_(list(expected_status)))
    with database.writer() as conn:
        return conn.execute(query.values(**values)).rowcount > 0


def update_host(database, job_id: str, host: str, values: dict, expected_states=None) -> bool:
    """Compare-and-set on the host's state when expected_states is given."""
    query = predistribution_hosts.update().where(predistribution_hosts.c.job_id == job_id,
                                                 predistribution_hosts.c.host == host)
    if expected_states is not None:
        query = query.where(predistribution_hosts.c.state.in_(list(expected_states)))
    with database.writer() as conn:
        return conn.execute(query.values(updated_at=utcnow(), **values)).rowcount > 0


def cancel_pending(database, job_id: str) -> None:
    with database.writer() as conn:
        conn.execute(predistribution_hosts.update().where(
            predistribution_hosts.c.job_id == job_id,
            predistribution_hosts.c.state == "pending").values(
                state="cancelled", updated_at=utcnow()))


def unfinished_on_host(database, host: str) -> list[tuple[str, str]]:
    """(job id, image id) of this host's downloads a restart interrupted."""
    query = (sa.select(predistribution_hosts.c.job_id, predistribution_jobs.c.image_id)
             .join(predistribution_jobs,
                   predistribution_jobs.c.id == predistribution_hosts.c.job_id)
             .where(predistribution_hosts.c.host == host,
                    predistribution_hosts.c.state == "downloading"))
    with database.reader() as conn:
        return [(r.job_id, r.image_id) for r in conn.execute(query)]


def unfinished(database) -> list[Job]:
    """Jobs no conductor finished: pending (never started) or running."""
    query = (sa.select(predistribution_jobs)
             .where(predistribution_jobs.c.status.in_(UNFINISHED))
             .order_by(predistribution_jobs.c.created_at, predistribution_jobs.c.id))
    with database.reader() as conn:
        return _load(conn, conn.execute(query))


def lease(database, job: Job) -> datetime.datetime | None:
    """Become the driver of `job` as last read: compare-and-set its (status, started_at) to
    ('running', a new started_at). The new value is whole seconds (what every backend
    stores exactly) and later than the old one, so each lease differs from the one before.
    The lease (the new started_at), or None when another conductor changed the job first."""
    now = utcnow().replace(microsecond=0)
    if job.started_at is not None and now <= job.started_at:
        now = job.started_at.replace(microsecond=0) + datetime.timedelta(seconds=1)
    started = predistribution_jobs.c.started_at
    query = predistribution_jobs.update().where(
        predistribution_jobs.c.id == job.id, predistribution_jobs.c.status == job.status,
        started.is_(None) if job.started_at is None else started == job.started_at)
    with database.writer() as conn:
        if conn.execute(query.values(status="running", started_at=now)).rowcount:
            return now
    return None


def still_driving(job: Job, lease_: datetime.datetime) -> bool:
    return job.status == "running" and job.started_at == lease_


def finish(database, job_id: str, lease_: datetime.datetime, status: str) -> bool:
    """Finish the job, if `lease_` is still its driver's."""
    query = predistribution_jobs.update().where(
        predistribution_jobs.c.id == job_id, predistribution_jobs.c.status == "running",
        predistribution_jobs.c.started_at == lease_)
    with database.writer() as conn:
        return conn.execute(query.values(status=status, finished_at=utcnow())).rowcount > 0
