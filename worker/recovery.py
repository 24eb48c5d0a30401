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
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from redis import Redis
from redis.client import Pipeline
from redis.exceptions import RedisError, WatchError
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.job_lifecycle import record_job_failure
from rq.utils import as_text

from examgen.core import deliveries, failures, fair, keys, slots, stats, storage
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


def end_recovery(connection: Redis, job_id: str, recovery: str, steps: Callable[[Pipeline], None]) -> list[Any] | None:
    """Run `steps` in the one transaction that also ends this recovery, if it is still `recovery`'s.

    The job stays parked (keys.recovering) until this transaction commits, so a recoverer that
    dies or loses its reply leaves the job to the next reap, never lost; one that was overtaken
    (stalled past keys.recovery_ttl_ms) finds another token and writes nothing (None).
    """
    token_key = keys.recovery_token(job_id)
    with connection.pipeline(transaction=True) as pipe:
        try:
            pipe.watch(token_key)  # type: ignore[no-untyped-call]
            if as_text(pipe.get(token_key) or b"") != recovery:
                return None
            pipe.multi()
            pipe.delete(token_key)
            pipe.zrem(keys.recovering, job_id)
            steps(pipe)
            results: list[Any] = pipe.execute()
        except WatchError:
            return None
    return results


def requeue_front(connection: Redis, job: Job, queue: Queue, recovery: str, *, attempt: bool = False) -> bool:
    """Put a started job back at the head of the queue: it waited its turn already.

    With `attempt`, the run counts against the job's attempts in the same transaction as the
    requeue and the end of the recovery, so a run is counted once however often recovery is tried.
    """
    rq_failed = abandoned_by_rq(job)
    runs = _runs(job, queue)

    def steps(pipe: Pipeline) -> None:
        if runs:
            pipe.zrem(queue.started_job_registry.key, *runs)
        if attempt:
            _note_attempt(pipe, job.id)
        if rq_failed:
            queue.failed_job_registry.remove(job, pipeline=pipe)
            job.meta.pop("error", None)
        job.meta["progress"] = 0
        # A cancel sends its stop to the worker named here: not the one whose run just ended.
        job.worker_name = None
        queue.enqueue_job(job, pipeline=pipe, at_front=True)
        stats.note_enqueued(pipe, queue.key, job.id, job.meta.get("owner"), at_front=True)

    results = end_recovery(connection, job.id, recovery, steps)
    if results is None:
        return False
    levels = stats.levels_from(results[-1])
    cap = get_settings().queue.max_concurrent_jobs
    queue_line("requeued", job.id, levels.queued, levels.running, cap)
    return True


def fail(connection: Redis, job: Job, queue: Queue, recovery: str, sentence: str) -> bool:
    """End a job as failed with a sentence a person can act on (shown as the job's `error`),
    counting its end in the same transaction."""
    job.meta["error"] = sentence
    runs = _runs(job, queue)
    duration_ms = ran_ms(job)

    def steps(pipe: Pipeline) -> None:
        if runs:
            pipe.zrem(queue.started_job_registry.key, *runs)
        pipe.hset(job.key, "meta", job.serializer.dumps(job.meta))
        record_job_failure(job, sentence, pipe)
        slots.count_end_in(pipe, job.id, queue.key, duration_ms)

    return end_recovery(connection, job.id, recovery, steps) is not None


def give_back(connection: Redis, job: Job, queue: Queue, recovery: str, *, counts_as_attempt: bool) -> str:
    """Requeue a job whose run ended without a result, or fail it after too many attempts.

    The job must be parked for recovery under `recovery` (slots.reap, slots.hand_back): its lease
    is gone, so once requeued another worker may claim it at once.
    """
    max_attempts = get_settings().queue.max_attempts
    attempts = int(connection.get(keys.attempts(job.id)) or 0) + 1 if counts_as_attempt else 0
    if attempts >= max_attempts:
        done = fail(connection, job, queue, recovery, failures.abandoned_sentence(attempts))
        if done:
            storage.discard(connection, job.id)
            deliveries.job_ended(connection, job.id)
        return "failed" if done else "taken over by another recovery"
    done = requeue_front(connection, job, queue, recovery, attempt=counts_as_attempt)
    return "requeued" if done else "taken over by another recovery"


def reap_expired(connection: Redis, queue: Queue) -> list[str]:
    """Act on every job whose lease expired (its process is gone or cut off from Redis), and on
    every recovery left unfinished past its time.

    Also gives jobs only RQ's list holds (rq-dashboard's requeue, jobs queued before fair
    shares) to the no-owner list, so they get turns like any owner's (examgen.core.fair).
    """
    fair.adopt(connection, queue.key)
    handled = []
    for job_id, recovery in slots.reap(connection):
        try:
            _recover(connection, queue, job_id, recovery)
        except RedisError:
            raise  # Redis itself is failing: the job stays parked, the next reap takes it over
        except Exception:
            # One job's surprise must not stop the reaper (nor the pool): it stays parked and is
            # taken over again once its recovery time has passed.
            log.exception("could not recover job %s; trying again later", job_id)
            continue
        handled.append(job_id)
    return handled


def _recover(connection: Redis, queue: Queue, job_id: str, recovery: str) -> None:
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        # Deleted or expired: nothing left to run.
        if end_recovery(connection, job_id, recovery, lambda pipe: None) is not None:
            storage.discard(connection, job_id)
        return
    status = job.get_status(refresh=False)
    if status in (JobStatus.STARTED, JobStatus.QUEUED) or abandoned_by_rq(job):
        outcome = give_back(connection, job, queue, recovery, counts_as_attempt=True)
        log.warning("lease of job %s expired; %s", job_id, outcome)
    elif status in ENDED:
        # It ended, but its worker died before giving the slot back: count the end once.
        duration_ms = ran_ms(job)

        def steps(pipe: Pipeline) -> None:
            slots.count_end_in(pipe, job_id, queue.key, duration_ms)

        if end_recovery(connection, job_id, recovery, steps) is not None:
            storage.discard(connection, job_id)
            deliveries.job_ended(connection, job_id)
    else:
        end_recovery(connection, job_id, recovery, lambda pipe: None)
