"""Finding jobs on the dashboard: the filter in the URL, and the pages of jobs it selects.

Served from the sorted job indexes, never by scanning Redis' keyspace: the owner filter picks the
owner's index (`keys.owner_jobs`), the time range is a score range of that index, and a full job id
is one fetch. Status, file name and an id prefix are properties of each job's hash, so they are
checked on a bounded window: one page reads at most `SCAN_WINDOW` index entries (newest first,
from the page's cursor `start`). A page that stops at the bound says so and offers the next
window, so an operator can go on searching older jobs without one request ever reading more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from litestar.exceptions import HTTPException
from redis import Redis
from rq.job import Job
from rq.utils import as_text

from examgen.core import keys
from examgen.services import jobview
from examgen.services.jobs import JOB_ID
from examgen.services.tokens import _NAME as OWNER_NAME

STATUSES = ("queued", "started", "finished", "failed", "canceled")
PAGE_SIZE = 25
# Index entries one request may read to fill a page (and a bulk action may select from).
SCAN_WINDOW = 2000
# Job hashes read per round trip while scanning the window.
CHUNK = 200
FIELDS = ("status", "owner", "name", "job", "since", "until")
MAX_FIELD = 200
# A full uuid4 job id is fetched directly; anything shorter is a prefix matched in the window.
FULL_ID_LEN = 36


class BadFilter(HTTPException):
    status_code = 400


@dataclass(frozen=True)
class JobFilter:
    status: str = ""
    owner: str = ""
    name: str = ""
    job: str = ""
    since: str = ""
    until: str = ""
    start: int = 0

    @property
    def active(self) -> bool:
        return any(getattr(self, f) for f in FIELDS)

    @property
    def per_job(self) -> bool:
        """Whether matching needs each job's hash (the index alone cannot answer)."""
        return bool(self.status or self.name or self.job)

    def params(self, **changes: Any) -> dict[str, str]:
        values = asdict(replace(self, **changes))
        return {k: str(v) for k, v in values.items() if v and (k != "start" or int(v) > 0)}

    def query(self, **changes: Any) -> str:
        """The query string of this filter (with `changes`), empty fields left out."""
        return urlencode(self.params(**changes))


def _moment_ms(field: str, value: str, end_of_day: bool) -> int:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadFilter(
            f"The {field} time {value!r} is not a date or time (use YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC)."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the dashboard shows UTC, so that is what people type
    if end_of_day and len(value) == len("YYYY-MM-DD"):
        moment += timedelta(days=1)  # "until 2025-01-01" includes that whole day
    return int(moment.timestamp() * 1000)


def parse_filter(query: Mapping[str, Any]) -> JobFilter:
    """The filter of a query string; `BadFilter` (400) says which field is wrong and why."""
    values: dict[str, str] = {}
    for field in (*FIELDS, "start"):
        raw = query.get(field)
        value = raw if isinstance(raw, str) else (str(raw[0]) if isinstance(raw, list) and raw else "")
        value = value.strip()
        if len(value) > MAX_FIELD:
            raise BadFilter(f"The {field} filter is longer than {MAX_FIELD} characters.")
        values[field] = value
    if values["status"] and values["status"] not in STATUSES:
        raise BadFilter(f"Unknown status {values['status']!r}: use one of {', '.join(STATUSES)}.")
    if values["owner"] and not OWNER_NAME.match(values["owner"]):
        raise BadFilter("The owner filter must be a token name (letters, digits, _ . @ -).")
    if values["job"] and not JOB_ID.fullmatch(values["job"]):
        raise BadFilter("The job id filter may hold only letters, digits, - and _.")
    since = _moment_ms("since", values["since"], False) if values["since"] else None
    until = _moment_ms("until", values["until"], True) if values["until"] else None
    if since is not None and until is not None and since >= until:
        raise BadFilter("The time range is empty: 'since' must be before 'until'.")
    start = values["start"] or "0"
    if not start.isdigit() or int(start) > 10**9:
        raise BadFilter("The page cursor 'start' must be a whole number.")
    return JobFilter(
        status=values["status"],
        owner=values["owner"],
        name=values["name"],
        job=values["job"],
        since=values["since"],
        until=values["until"],
        start=int(start),
    )


def score_range(f: JobFilter) -> tuple[str, str]:
    """The index's score range (created ms) of the filter, newest end first (ZREVRANGEBYSCORE)."""
    high = f"({_moment_ms('until', f.until, True)}" if f.until else "+inf"
    low = str(_moment_ms("since", f.since, False)) if f.since else "-inf"
    return high, low


def matches(f: JobFilter, job: Job) -> bool:
    meta = job.meta or {}
    if f.owner and meta.get("owner") != f.owner:
        return False
    if f.status and jobview.public_status(job) != f.status:
        return False
    if f.job and not job.id.startswith(f.job):
        return False
    return not (f.name and f.name.casefold() not in str(meta.get("filename") or "").casefold())


@dataclass
class Found:
    jobs: list[Job]
    next_start: int | None
    """The cursor of the next page (older jobs), or None when the index has no more."""
    scanned: int
    bounded: bool
    """True when the window ran out before the page filled: older jobs may still match."""


def find(redis: Redis, f: JobFilter, limit: int = PAGE_SIZE, window: int = SCAN_WINDOW) -> Found:
    """Up to `limit` jobs matching the filter, newest first, reading at most `window` index entries."""
    if f.job and len(f.job) >= FULL_ID_LEN:
        job = Job.fetch_many([f.job], connection=redis)[0]
        found = [job] if job is not None and job.origin == keys.QUEUE_NAME and matches(f, job) else []
        return Found(found if f.start == 0 else [], None, 1, False)
    index = keys.owner_jobs(f.owner) if f.owner else keys.all_jobs
    high, low = score_range(f)
    chunk = CHUNK if f.per_job else limit + 1
    jobs: list[Job] = []
    offset = f.start
    scanned = 0
    while scanned < window:
        count = min(chunk, window - scanned)
        ids = [as_text(j) for j in redis.zrevrangebyscore(index, high, low, start=offset, num=count)]  # type: ignore[arg-type]
        for position, job in enumerate(Job.fetch_many(ids, connection=redis)):
            if job is not None and matches(f, job):
                jobs.append(job)
                if len(jobs) == limit:
                    scanned += position + 1
                    more = offset + position + 1
                    older = redis.zrevrangebyscore(index, high, low, more, 1)
                    return Found(jobs, more if older else None, scanned, False)
        scanned += len(ids)
        offset += len(ids)
        if len(ids) < count:
            return Found(jobs, None, scanned, False)
    return Found(jobs, offset, scanned, True)
