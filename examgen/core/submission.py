"""A submission: an owner's new job, written whole by one script after its checks, or not at all.

RQ still writes the job: its own `enqueue_job` runs against a pipeline that is never executed,
only recorded, and lua.SUBMIT runs the recorded commands unchanged, after the token and quota
checks and together with the upload, the indexes and the bookkeeping. One script instead of a
MULTI around RQ's commands means one command (EVALSHA, a few hundred bytes), nothing written by a
refused submission, and no half-written job when Redis lost the script (a NOSCRIPT inside a MULTI
fails after the commands before it have run). `make bench` measured what this bought.
"""

from __future__ import annotations

import logging
import time
from typing import Any, NamedTuple

from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import RedisError
from rq.job import Job

from examgen.core import deliveries, fair, stats
from examgen.core.connection import replica_wait_ms
from examgen.core.enqueue import new_job, queue_for, wait_for_replica
from examgen.core.log import queue_line
from examgen.core.settings import get_settings
from examgen.core.slots import Levels

log = logging.getLogger("examgen.enqueue")


class OverQuota(Exception):
    """The owner already had `open_jobs` unfinished jobs, its quota: nothing of the job was written."""

    def __init__(self, open_jobs: int) -> None:
        super().__init__(f"{open_jobs} unfinished jobs")
        self.open_jobs = open_jobs


class TokenChanged(Exception):
    """The submitting token's stored record was no longer the one sent (revoked, or changed since
    the web process read it): nothing of the job was written."""


class Submitted(NamedTuple):
    job: Job
    levels: Levels
    place: int | None
    """The job's place in the order the claim will follow (examgen.core.fair), read by the script;
    None when a re-sent call found the job already claimed."""
    running_elapsed_s: tuple[float, ...]
    """How long each running job had run when the job was written (for the wait estimate)."""


class _Script(NamedTuple):
    job: Job
    owner: str
    keys: list[str]
    args: list[Any]


def _prepare(
    connection: Redis,
    func: str,
    *,
    owner: str,
    quota: int,
    args: tuple[Any, ...] = (),
    meta: dict[str, Any] | None = None,
    upload: bytes | None = None,
    job_id: str | None = None,
    token: tuple[str, str] | None = None,
) -> _Script:
    settings = get_settings().queue
    queue = queue_for(connection)
    job = new_job(queue, func, args, meta, None, job_id)
    created_ms = int(time.time() * 1000)
    with connection.pipeline(transaction=False) as recorder:
        queue.enqueue_job(job, pipeline=recorder)
        if "callback" in job.meta:
            # The delivery exists as soon as the job does, or neither does.
            deliveries.note_pending_in(recorder, job.id, created_ms)
        # Only plain commands can be replayed (their options only say how to parse replies): an
        # RQ that watched keys or queued a script in the pipeline would need its replies.
        if recorder.watching or recorder.scripts:
            raise RuntimeError("RQ's enqueue used a WATCH or a script: examgen cannot replay it")
        commands = [command for command, _options in recorder.command_stack]
    script_keys, script_args = stats.submission_keys_args(
        queue.key,
        job.id,
        owner,
        quota,
        created_ms,
        # The listings forget jobs RQ has forgotten: they would otherwise grow forever.
        created_ms - settings.result_ttl_s * 1000,
        token,
        (upload, settings.result_ttl_s) if upload is not None else None,
        commands,
    )
    return _Script(job, owner, script_keys, script_args)


def _answer(script: _Script, reply: Any) -> Submitted:
    found = stats.submitted_from(reply)
    if found.refused == "quota":
        raise OverQuota(found.open_jobs)
    if found.refused == "token":
        raise TokenChanged()
    queue_line(
        "enqueued",
        script.job.id,
        found.levels.queued,
        found.levels.running,
        get_settings().queue.max_concurrent_jobs,
        owner=script.owner,
    )
    place = fair.place_at(found.ring, script.owner, found.owner_index) if found.owner_index >= 0 else None
    return Submitted(script.job, found.levels, place, found.running_elapsed_s)


def submit(connection: Redis, func: str, **options: Any) -> Submitted:
    """Write a new job of `owner` (options: those of `_prepare`) unless the owner already has
    `quota` unfinished jobs (OverQuota) or Redis no longer holds the token record sent (TokenChanged).
    A job with a callback gets its pending webhook delivery in the same script (core.deliveries)."""
    script = _prepare(connection, func, **options)
    found = _answer(script, stats.submit(connection, script.keys, script.args))
    wait_for_replica(connection, script.job.id)
    return found


async def submit_async(aconnection: AsyncRedis, connection: Redis, func: str, **options: Any) -> Submitted:
    """`submit` on the event loop, through the asyncio client: no hop to a worker thread.
    `connection` (the sync client) is only the job's: recording RQ's commands sends nothing."""
    script = _prepare(connection, func, **options)
    found = _answer(script, await stats.submit_async(aconnection, script.keys, script.args))
    wait_ms = replica_wait_ms()
    try:
        confirmed = not wait_ms or int(await aconnection.execute_command("WAIT", 1, wait_ms)) >= 1  # type: ignore[no-untyped-call]
    except RedisError as exc:  # the job is written: nothing after that may fail the answer
        log.warning("job %s accepted; waiting for a replica failed (%s)", script.job.id, exc)
        return found
    if not confirmed:
        log.warning("job %s accepted before any replica confirmed it (none answered in %d ms)", script.job.id, wait_ms)
    return found
