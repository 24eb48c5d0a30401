"""The statistics of /queue/status: read in one round trip, estimated wait, reset.

The counts themselves change only inside the scripts of ``examgen.core.lua`` (enqueue, claim,
release), so a high-water mark is raised in the same atomic step as the count it watches.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple

from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.client import Pipeline
from redis.commands.core import AsyncScript, Script
from rq.job import Job

from examgen.core import keys, lua
from examgen.core.jobstates import ENDED
from examgen.core.slots import Levels

# Until a job has been measured, a wait estimate assumes jobs take this long.
DEFAULT_JOB_S = 30.0
# Ends sampled while jobs waited, per slot, before the completion rate replaces the durations: jobs
# of equal length end in batches, so fewer samples would catch only the short gaps of one batch.
MIN_GAP_SAMPLES_PER_SLOT = 2

_read_status = Script(None, lua.READ_STATUS.encode())  # type: ignore[arg-type]
_read_status_async = AsyncScript(None, lua.READ_STATUS.encode())  # type: ignore[arg-type]
_reset = Script(None, lua.RESET.encode())  # type: ignore[arg-type]
_submit = Script(None, lua.SUBMIT.encode())  # type: ignore[arg-type]
_submit_async = AsyncScript(None, lua.SUBMIT.encode())  # type: ignore[arg-type]


def note_enqueued(
    pipeline: Pipeline, queue_key: str, job_id: str, owner: str | None, *, at_front: bool = False
) -> None:
    """Queue the mark update and the owner's list inside the caller's MULTI, right after RQ's push.

    EVAL with the source, not a Script object: in a pipeline redis-py sends SCRIPT EXISTS first,
    a round trip on every enqueue (make bench). A bare EVALSHA is no way out: after a Redis restart
    it would fail with NOSCRIPT alone inside the MULTI while the job itself was queued. Redis caches
    the compiled script by its SHA1, so the source is only hashed, not compiled, each time.
    """
    owner = owner or keys.NO_OWNER
    script_keys = _enqueued_keys(queue_key, owner)
    pipeline.eval(
        lua.NOTE_ENQUEUED,
        len(script_keys),
        *script_keys,
        keys.history_minutes,
        keys.wakeup_max_len,
        job_id,
        owner,
        "1" if at_front else "0",
    )


def _enqueued_keys(queue_key: str, owner: str) -> list[str]:
    return [
        queue_key,
        keys.leases,
        keys.stats,
        keys.history,
        keys.wakeup,
        keys.owner_waiting(owner),
        keys.fair_waiting_owner,
        keys.fair_ring,
        keys.fair_passes,
        keys.fair_clock,
    ]


def submission_keys_args(
    queue_key: str,
    job_id: str,
    owner: str,
    limit: int,
    created_ms: int,
    forget_before_ms: int,
    token: tuple[str, str] | None,
    upload: tuple[bytes, int] | None,
    commands: list[tuple[Any, ...]],
) -> tuple[list[str], list[Any]]:
    """KEYS and ARGV of lua.SUBMIT. `token`: the submitting token's (digest, stored record), checked
    against Redis; `upload`: the bytes and their lifetime (s); `commands`: RQ's enqueue commands."""
    script_keys = [
        *_enqueued_keys(queue_key, owner),
        keys.upload(job_id),
        keys.all_jobs,
        keys.owner_jobs(owner),
        keys.owner_open(owner),
        keys.tokens_by_digest,
        keys.fair_weights,
        keys.lease_started,
        Job.key_for(job_id),
        keys.recovering,
    ]
    ended = sorted(status.value for status in ENDED)
    args: list[Any] = [
        keys.history_minutes,
        keys.wakeup_max_len,
        job_id,
        owner,
        limit,
        created_ms,
        forget_before_ms,
        Job.redis_job_namespace_prefix,
        *(token or ("", "")),
        keys.fair_owner_list_prefix,
        keys.fair_owner_list_suffix,
        *((upload[1], upload[0]) if upload is not None else (0, "")),
        len(ended),
        *ended,
    ]
    for command in commands:
        args += [len(command), *command]
    return script_keys, args


def submit(connection: Redis, script_keys: list[str], args: list[Any]) -> Any:
    """Run lua.SUBMIT (EVALSHA; the source only when Redis lost it); submitted_from reads the reply."""
    return _submit(keys=script_keys, args=args, client=connection)


async def submit_async(connection: AsyncRedis, script_keys: list[str], args: list[Any]) -> Any:
    return await _submit_async(keys=script_keys, args=args, client=connection)


class SubmitReply(NamedTuple):
    """The SUBMIT script's answer: the levels and the job's index in its owner's list, or why not."""

    refused: str | None
    """None (written), "quota" (the owner had `open_jobs` unfinished jobs) or "token" (its record
    was no longer the one sent): refused, nothing of the job is left."""
    levels: Levels
    owner_index: int = -1
    ring: tuple[tuple[str, float, int, int], ...] = ()
    """Each owner with waiting jobs right after the push: name, virtual time, weight, waiting."""
    running_elapsed_s: tuple[float, ...] = ()
    """How long each running job has run, at the moment of the submission."""
    open_jobs: int = 0


def submitted_from(result: Any) -> SubmitReply:
    first = int(result[0])
    if first == -1:
        return SubmitReply("quota", Levels(0, 0), open_jobs=int(result[1]))
    if first == -2:
        return SubmitReply("token", Levels(0, 0))
    ring = tuple((name.decode(), float(pass_), int(weight), int(waiting)) for name, pass_, weight, waiting in result[3])
    # -1: a re-sent call found the job written and already claimed (no longer in its owner's list).
    now_ms = int(result[4])
    elapsed = tuple(max(now_ms - int(started), 0) / 1000 for started in result[5])
    return SubmitReply(None, Levels(first, int(result[1])), int(result[2]), ring, elapsed)


def read_status_in(pipeline: Pipeline, queue_key: str) -> None:
    """Queue a status read inside the caller's pipeline (EVAL, for the reason given above)."""
    script_keys = _status_keys(queue_key)
    pipeline.eval(lua.READ_STATUS, len(script_keys), *script_keys, *_status_args(""))


def levels_from(result: Any) -> Levels:
    queued, running = result
    return Levels(int(queued), int(running))


def estimate_wait_s(ahead: int, cap: int, elapsed_s: list[float], avg_job_s: float) -> int:
    """Seconds until the job behind `ahead` waiting jobs starts.

    Slots free up when the running jobs end (each expected to take `avg_job_s`); each waiting job
    then takes the earliest free slot. With equal durations the slots are taken round-robin, so
    the answer is closed-form: the (ahead mod cap)-th slot to free, plus whole rounds before it.
    """
    if cap <= 0:
        return 0
    frees = sorted([max(avg_job_s - e, 0.0) for e in elapsed_s[:cap]] + [0.0] * max(cap - len(elapsed_s), 0))
    rounds, index = divmod(ahead, cap)
    return round(frees[index] + rounds * avg_job_s)


@dataclass(frozen=True)
class QueueStatus:
    queue_size: int
    max_queue_size: int
    processing: int
    max_processing: int
    max_concurrent: int
    total_processed: int
    total_failed: int
    estimated_wait_time: int
    max_queue_size_at: str | None
    max_processing_at: str | None
    avg_job_seconds: float | None
    oldest_waiting_seconds: float
    live_workers: int
    live_pools: int
    stats_reset_at: str | None
    running_elapsed_s: tuple[float, ...]
    ahead_of_newcomer: int = -1
    """Jobs the claim takes before a new owner's first job; -1 when no owner waits (then FIFO)."""
    gap_samples: int = 0
    gap_sum_ms: int = 0

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for internal in ("running_elapsed_s", "ahead_of_newcomer", "gap_samples", "gap_sum_ms"):
            del data[internal]
        return data

    @property
    def slots(self) -> int:
        """Slots that can run jobs: the cap, or fewer when fewer workers are alive."""
        return min(self.max_concurrent, self.live_workers) if self.live_workers > 0 else self.max_concurrent

    @property
    def job_seconds(self) -> float:
        """How long a slot takes per job, as the deployment delivers it.

        From the recent completion rate while jobs waited (slots x the mean gap between ends): it
        includes whatever slows concurrent jobs down. Without enough such ends, the measured
        durations' average, or DEFAULT_JOB_S before any job ended.
        """
        if self.gap_samples >= MIN_GAP_SAMPLES_PER_SLOT * self.slots and self.gap_sum_ms > 0:
            return self.slots * self.gap_sum_ms / self.gap_samples / 1000
        return self.avg_job_seconds if self.avg_job_seconds is not None else DEFAULT_JOB_S

    def wait_for_position(self, position: int) -> int:
        """Wait estimate for the job at 1-based `position` in the order the claim follows."""
        return estimate_wait_s(position - 1, self.slots, list(self.running_elapsed_s), self.job_seconds)


def _iso(ms: float | None) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat().replace("+00:00", "Z")


def _parse_rq_time(raw: bytes | str) -> float | None:
    text = raw.decode() if isinstance(raw, bytes) else raw
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


def _status_keys(queue_key: str) -> list[str]:
    return [
        keys.stats,
        queue_key,
        keys.leases,
        keys.lease_started,
        keys.pools,
        keys.pool_sizes,
        keys.tokens_by_digest,
        keys.fair_ring,
        keys.fair_clock,
        keys.recent_ends,
    ]


def _status_args(token_digest: str) -> list[Any]:
    return [Job.redis_job_namespace_prefix, token_digest, keys.recent_ends_window_s * 1000]


def read_status(connection: Redis, queue_key: str, default_cap: int) -> QueueStatus:
    raw = _read_status(keys=_status_keys(queue_key), args=_status_args(""), client=connection)
    return status_from(raw, default_cap)


async def read_status_for(
    connection: AsyncRedis, queue_key: str, default_cap: int, token_digest: str
) -> tuple[QueueStatus, bytes | None]:
    """The status and the record of the token with that digest (None if unknown), in one round trip.

    For the API's hottest read: no second round trip to check the token, no thread hop.
    """
    raw = await _read_status_async(keys=_status_keys(queue_key), args=_status_args(token_digest), client=connection)
    record = raw[7] if isinstance(raw[7], bytes) and raw[7] else None
    return status_from(raw, default_cap), record


def status_from(raw: list[Any], default_cap: int) -> QueueStatus:
    """The status from the reply of the status script (see read_status_in)."""
    now_ms, flat, queued, started, oldest_raw, pools, workers = raw[:7]
    ahead_of_newcomer, gap_samples, gap_sum_ms = (int(v) for v in raw[8:11])
    stats = {flat[i].decode(): flat[i + 1].decode() for i in range(0, len(flat), 2)}
    cap = int(stats.get("max_concurrent", default_cap))
    elapsed = tuple(max(int(now_ms) - int(s), 0) / 1000 for s in started)
    avg_ms = float(stats["avg_job_ms"]) if "avg_job_ms" in stats else None
    avg_s = avg_ms / 1000 if avg_ms is not None else None
    oldest = _parse_rq_time(oldest_raw)
    status = QueueStatus(
        queue_size=int(queued),
        max_queue_size=int(stats.get("max_queue_size", 0)),
        processing=len(elapsed),
        max_processing=int(stats.get("max_processing", 0)),
        max_concurrent=cap,
        total_processed=int(stats.get("total_processed", 0)),
        total_failed=int(stats.get("total_failed", 0)),
        estimated_wait_time=0,
        max_queue_size_at=_iso(float(stats["max_queue_size_at"])) if "max_queue_size_at" in stats else None,
        max_processing_at=_iso(float(stats["max_processing_at"])) if "max_processing_at" in stats else None,
        avg_job_seconds=round(avg_s, 3) if avg_s is not None else None,
        oldest_waiting_seconds=round(max(int(now_ms) / 1000 - oldest, 0.0), 3) if oldest else 0.0,
        live_workers=int(workers),
        live_pools=int(pools),
        stats_reset_at=_iso(float(stats["reset_at"])) if "reset_at" in stats else None,
        running_elapsed_s=elapsed,
        ahead_of_newcomer=ahead_of_newcomer,
        gap_samples=gap_samples,
        gap_sum_ms=gap_sum_ms,
    )
    # A job submitted now by an owner with nothing waiting: it starts behind the owners whose turn
    # is at the clock; with no owner waiting, behind whatever RQ's list holds (FIFO).
    ahead = ahead_of_newcomer if ahead_of_newcomer >= 0 else status.queue_size
    wait = status.wait_for_position(ahead + 1)
    return replace(status, estimated_wait_time=wait)  # not asdict(): it deep-copies every field


def set_cap(connection: Redis, cap: int) -> None:
    """Record the cap in force so every web process shows the workers' value."""
    connection.hset(keys.stats, "max_concurrent", cap)


def reset(connection: Redis, queue_key: str) -> None:
    """Restart marks and totals from now, recording when; the live counts are not touched."""
    _reset(keys=[keys.stats, queue_key, keys.leases, keys.durations], client=connection)


@dataclass(frozen=True)
class MinutePoint:
    minute: str
    """ISO time of the minute's start."""
    queue_size: int
    """The most jobs waiting at any moment of the minute."""
    processing: int
    """The most jobs running at any moment of the minute."""
    finished: int
    failed: int


def read_history(connection: Redis, minutes: int = 60) -> list[MinutePoint]:
    """The last `minutes` minutes, oldest first; a quiet minute keeps the level the last one ended at."""
    minutes = max(1, min(minutes, keys.history_minutes))
    seconds, _ = connection.time()
    now_minute = int(seconds) // 60
    wanted = [now_minute - back for back in range(minutes - 1, -1, -1)]
    fields = [f"{m % keys.history_minutes}:{name}" for m in wanted for name in ("t", "q", "ql", "p", "pl", "f", "x")]
    values = connection.hmget(keys.history, fields)
    points = []
    level_q = level_p = 0
    for i, minute in enumerate(wanted):
        t, q, ql, p, pl, f, x = values[i * 7 : i * 7 + 7]
        stamp = _iso(minute * 60_000) or ""
        if t is not None and int(t) == minute:
            level_q, level_p = int(ql or 0), int(pl or 0)
            points.append(MinutePoint(stamp, int(q or 0), int(p or 0), int(f or 0), int(x or 0)))
        else:
            points.append(MinutePoint(stamp, level_q, level_p, 0, 0))
    return points
