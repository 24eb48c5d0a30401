"""What happens to a job whose process died or was told to stop: it runs again, or fails for good.

Used by the worker that saw its work-horse die and by the reaper that found an expired lease;
whoever removed the lease is the only one acting on the job, so it is requeued at most once.

Recovery may run long after the crash (a pool back after an outage): RQ's own bookkeeping of the
run (its execution records) may have expired by then, and RQ's abandoned-job cleanup, run by any
`rq info`, may already have failed the job. Neither stops the job from running again: examgen's
reaper is the one owner of recovery, and every step here tolerates what RQ removed.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from redis import Redis
from redis.client import Pipeline
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.job_lifecycle import record_job_failure

from examgen.core import failures, fair, keys, slots, stats
from examgen.core.jobstates import ENDED
from examgen.core.log import queue_line
from examgen.core.settings import get_settings

log = logging.getLogger("examgen.recovery")


def ran_ms(job: Job) -> int | None:
    """How long the job's last run took (until now if it has no end); None if it never started."""
    if job.started_at is None:
        return None
    started = job.started_at if job.started_at.tzinfo else job.started_at.replace(tzinfo=UTC)
    ended = job.ended_at or datetime.now(UTC)
    ended = ended if ended.tzinfo else ended.replace(tzinfo=UTC)
    return max(0, int((ended - started).total_seconds() * 1000))


def _note_attempt(pipe: Pipeline, job_id: str) -> None:
    pipe.incr(keys.attempts(job_id))
    pipe.expire(keys.attempts(job_id), get_settings().queue.result_ttl_s)


def _runs(job: Job, queue: Queue) -> list[str]:
    """The job's entries in RQ's started registry, found by the entries alone.

    RQ's remove_executions reads each execution's record first and raises once that expired.
    """
    registry = queue.started_job_registry
    return [f"{j}:{e}" for j, e in registry.get_job_and_execution_ids(cleanup=False) if j == job.id]


def abandoned_by_rq(job: Job) -> bool:
    """RQ's own cleanup failed this job because its worker stopped heartbeating: it never ended."""
    if job.get_status(refresh=False) != JobStatus.FAILED:
        return False
    result = job.latest_result()
    return result is not None and "AbandonedJobError" in (result.exc_string or "")


def requeue_front(connection: Redis, job: Job, queue: Queue, *, attempt: bool = False) -> None:
    """Put a started job back at the head of the queue: it waited its turn already.

    With `attempt`, the run counts against the job's attempts in the same transaction, so a
    recovery tried again after a failure never counts one run twice.
    """
    rq_failed = abandoned_by_rq(job)
    runs = _runs(job, queue)
    with connection.pipeline(transaction=True) as pipe:
        pipe.multi()
        if runs:
            pipe.zrem(queue.started_job_registry.key, *runs)
        if attempt:
            _note_attempt(pipe, job.id)
        if rq_failed:
            queue.failed_job_registry.remove(job, pipeline=pipe)
            job.meta.pop("error", None)
        job.meta["progress"] = 0
        queue.enqueue_job(job, pipeline=pipe, at_front=True)
        stats.note_enqueued(pipe, queue.key, job.id, job.meta.get("owner"), at_front=True)
        results = pipe.execute()
    levels = stats.levels_from(results[-1])
    cap = get_settings().queue.max_concurrent_jobs
    queue_line("requeued", job.id, levels.queued, levels.running, cap)


def fail(connection: Redis, job: Job, queue: Queue, sentence: str) -> None:
    """End a job as failed with a sentence a person can act on (shown as the job's `error`)."""
    job.meta["error"] = sentence
    runs = _runs(job, queue)
    with connection.pipeline(transaction=True) as pipe:
        if runs:
            pipe.zrem(queue.started_job_registry.key, *runs)
        job.save_meta()
        record_job_failure(job, sentence, pipe)
        pipe.execute()


def give_back(connection: Redis, job: Job, queue: Queue, *, counts_as_attempt: bool) -> str:
    """Requeue a job whose run ended without a result, or fail it after too many attempts.

    The caller must already have removed the job's lease: once requeued, another worker may
    claim the job at once, and its new lease must not be touched.
    """
    max_attempts = get_settings().queue.max_attempts
    attempts = int(connection.get(keys.attempts(job.id)) or 0) + 1 if counts_as_attempt else 0
    if attempts >= max_attempts:
        fail(connection, job, queue, failures.abandoned_sentence(attempts))
        # From here on the job has ended: a retry of this recovery only counts the end.
        slots.count_end(connection, job.id, queue.key, ran_ms(job))
        connection.delete(keys.upload(job.id))
        return "failed"
    requeue_front(connection, job, queue, attempt=counts_as_attempt)
    return "requeued"


def reap_expired(connection: Redis, queue: Queue) -> list[str]:
    """Act on every job whose lease expired: its process is gone or cut off from Redis.

    Also gives jobs only RQ's list holds (rq-dashboard's requeue, jobs queued before fair
    shares) to the no-owner list, so they get turns like any owner's (examgen.core.fair).
    """
    fair.adopt(connection, queue.key)
    handled = []
    for job_id in slots.reap(connection):
        try:
            _recover(connection, queue, job_id)
        except RedisError:
            slots.unreap(connection, job_id)  # Redis itself is failing: the caller retries later
            raise
        except Exception:
            # One job's surprise must not stop the reaper (nor the pool): it is tried again next round.
            log.exception("could not recover job %s; trying again later", job_id)
            slots.unreap(connection, job_id)
            continue
        handled.append(job_id)
    return handled


def _recover(connection: Redis, queue: Queue, job_id: str) -> None:
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        connection.delete(keys.upload(job_id))  # deleted or expired: nothing left to run
        return
    status = job.get_status(refresh=False)
    if status in (JobStatus.STARTED, JobStatus.QUEUED) or abandoned_by_rq(job):
        outcome = give_back(connection, job, queue, counts_as_attempt=True)
        log.warning("lease of job %s expired; %s", job_id, outcome)
    elif status in ENDED:
        # It ended, but its worker died before giving the slot back: count the end once.
        slots.count_end(connection, job_id, queue.key, ran_ms(job))
        connection.delete(keys.upload(job_id))
