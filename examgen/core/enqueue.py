"""Putting a job on the queue: the one path every job takes, with its bookkeeping in one MULTI.

The upload, RQ's job hash and queue push, the owner's index and the queue's high-water mark
are written in a single transaction: a job is either accepted whole or not at all.
"""

from __future__ import annotations

import logging
import time
from typing import Any, NamedTuple

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.job import Job

from examgen.core import deliveries, fair, keys, stats
from examgen.core.connection import replica_wait_ms
from examgen.core.log import queue_line
from examgen.core.settings import get_settings
from examgen.core.slots import Levels

log = logging.getLogger("examgen.enqueue")


def queue_for(connection: Redis) -> Queue:
    return Queue(
        keys.QUEUE_NAME,
        connection=connection,
        default_timeout=get_settings().queue.job_timeout_s,
    )


class Enqueued(NamedTuple):
    job: Job
    levels: Levels
    status: stats.QueueStatus | None
    """With `read_status`: the statistics right after the enqueue, read in the same round trip."""
    place: int | None = None
    """With `read_status`: the job's place in the order the claim will follow (examgen.core.fair)."""


def new_job(
    queue: Queue,
    func: str,
    args: tuple[Any, ...],
    meta: dict[str, Any] | None,
    timeout_s: int | None,
    job_id: str | None,
) -> Job:
    """An RQ job with examgen's lifetimes, not yet written anywhere."""
    settings = get_settings().queue
    return queue.create_job(
        func,
        args=args,
        meta=meta or {},
        timeout=timeout_s or settings.job_timeout_s,
        result_ttl=settings.result_ttl_s,
        failure_ttl=settings.result_ttl_s,
        job_id=job_id,  # given when the upload was stored outside Redis first, under this id
    )


def wait_for_replica(connection: Redis, job_id: str) -> None:
    """With EXAMGEN_REPLICA_WAIT_MS: wait for a replica to confirm what was just written (logged if not)."""
    wait_ms = replica_wait_ms()
    if not wait_ms:
        return
    try:
        confirmed = int(connection.execute_command("WAIT", 1, wait_ms)) >= 1  # type: ignore[no-untyped-call]
    except RedisError as exc:  # the job is written: nothing after that may fail the answer
        log.warning("job %s accepted; waiting for a replica failed (%s)", job_id, exc)
        return
    if not confirmed:
        log.warning("job %s accepted before any replica confirmed it (none answered in %d ms)", job_id, wait_ms)


def enqueue(
    connection: Redis,
    func: str,
    *,
    args: tuple[Any, ...] = (),
    meta: dict[str, Any] | None = None,
    owner: str | None = None,
    upload: bytes | None = None,
    timeout_s: int | None = None,
    read_status: bool = False,
    job_id: str | None = None,
) -> Enqueued:
    """A job that needs no checks (a re-run, a test's job): a submission is core.submission."""
    settings = get_settings().queue
    queue = queue_for(connection)
    job = new_job(queue, func, args, meta, timeout_s, job_id)
    created_ms = int(time.time() * 1000)
    with connection.pipeline(transaction=True) as pipe:
        pipe.multi()  # explicitly, or RQ's enqueue would open the transaction after our first command
        if upload is not None:
            pipe.set(keys.upload(job.id), upload, ex=settings.result_ttl_s)
        queue.enqueue_job(job, pipeline=pipe)
        if "callback" in job.meta:
            deliveries.note_pending_in(pipe, job.id, created_ms)
        # The listings forget jobs RQ has forgotten: they would otherwise grow forever.
        forgotten_before_ms = created_ms - settings.result_ttl_s * 1000
        pipe.zadd(keys.all_jobs, {job.id: created_ms})
        pipe.zremrangebyscore(keys.all_jobs, "-inf", forgotten_before_ms)
        if owner is not None:
            pipe.zadd(keys.owner_jobs(owner), {job.id: created_ms})
            pipe.zremrangebyscore(keys.owner_jobs(owner), "-inf", forgotten_before_ms)
            pipe.sadd(keys.owner_open(owner), job.id)
        stats.note_enqueued(pipe, queue.key, job.id, owner)
        if read_status:
            stats.read_status_in(pipe, queue.key)
            fair.places_in(pipe, [job.id])
        results = pipe.execute()
    # The place read adds four replies after the status read.
    extra = 4 if read_status else 0
    levels = stats.levels_from(results[-2 - extra] if read_status else results[-1])
    wait_for_replica(connection, job.id)
    status = stats.status_from(results[-1 - extra], settings.max_concurrent_jobs) if read_status else None
    place = fair.places_from(results[-extra:], 1)[0] if read_status else None
    queue_line("enqueued", job.id, levels.queued, levels.running, settings.max_concurrent_jobs, owner=owner)
    return Enqueued(job, levels, status, place)
