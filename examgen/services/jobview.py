"""The job view of docs/contract.md, built from RQ's job hash, the queue position and the wait estimate."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypedDict

from redis import Redis
from rq.job import Job, JobStatus
from rq.utils import as_text

from examgen.core import deliveries, failures, fair, stats
from examgen.services import status as queue_status

_STATUS = {
    JobStatus.QUEUED: "queued",
    JobStatus.DEFERRED: "queued",
    JobStatus.SCHEDULED: "queued",
    JobStatus.STARTED: "started",
    JobStatus.FINISHED: "finished",
    JobStatus.FAILED: "failed",
    JobStatus.CANCELED: "canceled",
    JobStatus.STOPPED: "canceled",
}


class JobView(TypedDict):
    """The job view of docs/contract.md (plus `pages` and `questions` once known)."""

    job_id: str
    status: str
    position: int | None
    progress: int
    estimated_wait_time: int
    created_at: str | None
    started_at: str | None
    ended_at: str | None
    filename: str | None
    error: str | None
    pages: int | None
    questions: int | None
    notices: list[str]
    """What the generator could not do, in sentences (fewer questions than asked, and why); [] when none."""
    callback: dict[str, Any] | None
    """For a job with a callback_url: {"url", "state", "delivery_id", "next_attempt_at",
    "attempts": [{"at", "status_code", "error", ...}]}; else null."""


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def public_status(job: Job) -> str:
    return _STATUS.get(job.get_status(refresh=False), "queued")


def positions(redis: Redis, job_ids: list[str]) -> list[int | None]:
    """1-based places in the order the claim will follow (None when not waiting), in one round trip."""
    return fair.places(redis, job_ids)


def _callback(job: Job, delivery: deliveries.State | None) -> dict[str, Any] | None:
    asked = (job.meta or {}).get("callback")
    if not isinstance(asked, dict):
        return None
    delivery = delivery or deliveries.State()
    next_at = None
    if delivery.next_ms is not None and delivery.state == deliveries.PENDING:
        next_at = _iso(datetime.fromtimestamp(delivery.next_ms / 1000, UTC))
    return {
        "url": asked.get("url"),
        "state": delivery.state,
        "delivery_id": deliveries.delivery_id(job.id),
        "next_attempt_at": next_at,
        "attempts": delivery.attempts,
    }


def view(
    job: Job,
    position: int | None,
    status_now: stats.QueueStatus | None,
    delivery: deliveries.State | None = None,
) -> JobView:
    status = public_status(job)
    if status == "queued" and position is None:
        status = "started"  # claimed by a worker, its run not yet recorded
    meta = job.meta or {}
    wait = 0
    if status == "queued" and position is not None and status_now is not None:
        wait = status_now.wait_for_position(position)
    error = None
    if status == "failed":
        error = str(meta.get("error") or failures.INTERNAL_ERROR)
    progress = 100 if status == "finished" else int(meta.get("progress", 0) or 0)
    shown = JobView(
        job_id=job.id,
        status=status,
        position=position if status == "queued" else None,
        progress=max(0, min(progress, 100)),
        estimated_wait_time=wait,
        created_at=_iso(job.created_at),
        started_at=_iso(job.started_at) if status != "queued" else None,
        ended_at=_iso(job.ended_at) if status in ("finished", "failed", "canceled") else None,
        filename=meta.get("filename"),
        error=error,
        pages=meta.get("pages"),
        questions=meta.get("questions"),
        notices=[str(n) for n in meta.get("notices") or []],
        callback=_callback(job, delivery),
    )
    return shown


def newest_jobs(redis: Redis, index_key: str, limit: int) -> list[Job]:
    """The newest `limit` jobs of a listing (keys.all_jobs or keys.owner_jobs), newest first."""
    job_ids = [as_text(j) for j in redis.zrevrange(index_key, 0, limit - 1)]  # type: ignore[arg-type]
    return [j for j in Job.fetch_many(job_ids, connection=redis) if j is not None]


def _deliveries(redis: Redis, jobs: list[Job]) -> list[deliveries.State | None]:
    """Each job's webhook delivery (None without a callback), in one round trip for all."""
    asked = [isinstance((j.meta or {}).get("callback"), dict) for j in jobs]
    if not any(asked):
        return [None] * len(jobs)
    with redis.pipeline(transaction=False) as pipe:
        for job, has in zip(jobs, asked, strict=True):
            if has:
                deliveries.read_in(pipe, job.id)
        replies = iter(pipe.execute())
    return [deliveries.state_from([next(replies), next(replies)]) if has else None for has in asked]


def views(redis: Redis, jobs: list[Job]) -> list[JobView]:
    places = positions(redis, [j.id for j in jobs])
    status_now = None
    if any(p is not None for p in places):
        status_now = queue_status.read(redis)
    found = _deliveries(redis, jobs)
    return [view(job, place, status_now, delivery) for job, place, delivery in zip(jobs, places, found, strict=True)]
