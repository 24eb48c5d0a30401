"""What happens to a job whose process died or was told to stop: it runs again, or fails for good.

Used by the worker that saw its work-horse die and by the reaper that found an expired lease;
whoever removed the lease is the only one acting on the job, so it is requeued at most once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.executions import Execution
from rq.job import Job, JobStatus
from rq.job_lifecycle import record_job_failure

from examgen.core import failures, keys, slots, stats
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


def count_attempt(connection: Redis, job_id: str) -> int:
    with connection.pipeline() as pipe:
        pipe.incr(keys.attempts(job_id))
        pipe.expire(keys.attempts(job_id), get_settings().queue.result_ttl_s)
        attempts, _ = pipe.execute()
    return int(attempts)


def requeue_front(connection: Redis, job: Job, queue: Queue, execution: Execution | None = None) -> None:
    """Put a started job back at the head of the queue: it waited its turn already."""
    with connection.pipeline(transaction=True) as pipe:
        pipe.multi()
        if execution is not None:
            queue.started_job_registry.remove_execution(execution, pipeline=pipe)
        else:
            queue.started_job_registry.remove_executions(job, pipeline=pipe)
        job.meta["progress"] = 0
        queue.enqueue_job(job, pipeline=pipe, at_front=True)
        stats.note_enqueued(pipe, queue.key)
        results = pipe.execute()
    levels = stats.levels_from(results[-1])
    cap = get_settings().queue.max_concurrent_jobs
    queue_line("requeued", job.id, levels.queued, levels.running, cap)


def fail(connection: Redis, job: Job, queue: Queue, sentence: str) -> None:
    """End a job as failed with a sentence a person can act on (shown as the job's `error`)."""
    job.meta["error"] = sentence
    with connection.pipeline(transaction=True) as pipe:
        queue.started_job_registry.remove_executions(job, pipeline=pipe)
        job.save_meta()
        record_job_failure(job, sentence, pipe)
        pipe.execute()


def give_back(connection: Redis, job: Job, queue: Queue, *, counts_as_attempt: bool) -> str:
    """Requeue a job whose run ended without a result, or fail it after too many attempts.

    The caller must already have removed the job's lease: once requeued, another worker may
    claim the job at once, and its new lease must not be touched.
    """
    max_attempts = get_settings().queue.max_attempts
    attempts = count_attempt(connection, job.id) if counts_as_attempt else 0
    if attempts >= max_attempts:
        fail(connection, job, queue, failures.abandoned_sentence(attempts))
        slots.count_end(connection, job.id, queue.key, ran_ms(job))
        connection.delete(keys.upload(job.id))
        return "failed"
    requeue_front(connection, job, queue)
    return "requeued"


def reap_expired(connection: Redis, queue: Queue) -> list[str]:
    """Act on every job whose lease expired: its process is gone or cut off from Redis."""
    handled = []
    for job_id in slots.reap(connection):
        try:
            job = Job.fetch(job_id, connection=connection)
        except NoSuchJobError:
            continue
        status = job.get_status(refresh=False)
        if status in (JobStatus.STARTED, JobStatus.QUEUED):
            outcome = give_back(connection, job, queue, counts_as_attempt=True)
            log.warning("lease of job %s expired; %s", job_id, outcome)
        elif status in ENDED:
            # It ended, but its worker died before giving the slot back: count the end once.
            slots.count_end(connection, job_id, queue.key, ran_ms(job))
            connection.delete(keys.upload(job_id))
        handled.append(job_id)
    return handled
