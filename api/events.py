"""GET /jobs/{id}/events: the job view pushed as server-sent events until the job ends.

Each event is `event: job` with the job view as its JSON data, sent when any of status, position,
wait estimate or progress changed; the last is `event: end` with the final view, and the stream
closes. The server reads the job once a second (one pipelined read, as GET /jobs/{id} does) and
sends a comment every 15 s so proxies keep an idle stream open. A stream lasts at most
`STREAM_MAX_S`, then closes with `event: reconnect` (EventSource reconnects by itself; `retry`
says after how long), so no connection is held forever. Redis failing mid-stream closes it with
`event: unavailable`: the client goes back to polling, which rides out outages.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import anyio
from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import ServerSentEvent, ServerSentEventMessage
from redis import Redis
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job

from examgen.api.openapi import errors
from examgen.services import jobview
from examgen.services.jobs import owned_job
from examgen.services.jobview import JobView
from examgen.services.tokens import Caller

ENDED = ("finished", "failed", "canceled")
POLL_S = 1.0
KEEPALIVE_S = 15.0
STREAM_MAX_S = 600.0
RETRY_MS = 2000
# What a client watches; created_at and the rest only change with these.
_WATCHED = ("status", "position", "estimated_wait_time", "progress")


def _read(redis: Redis, job_id: str) -> JobView | None:
    try:
        return jobview.views(redis, [Job.fetch(job_id, connection=redis)])[0]
    except NoSuchJobError:
        return None


def _message(event: str, view: JobView | None, number: int) -> ServerSentEventMessage:
    return ServerSentEventMessage(data=json.dumps(view), event=event, id=number, retry=RETRY_MS)


async def _events(redis: Redis, job_id: str, first: JobView) -> AsyncIterator[ServerSentEventMessage]:
    view: JobView | None = first
    number, last_sent = 0, time.monotonic()
    yield _message("job", first, number)
    deadline = last_sent + STREAM_MAX_S
    while view is not None and view["status"] not in ENDED:
        if time.monotonic() > deadline:
            yield ServerSentEventMessage(event="reconnect", data="", retry=RETRY_MS)
            return
        await anyio.sleep(POLL_S)
        try:
            fresh = await anyio.to_thread.run_sync(_read, redis, job_id)
        except RedisError:
            yield ServerSentEventMessage(event="unavailable", data="")
            return
        if fresh is None:  # expired or deleted while watched
            break
        if any(fresh[k] != view[k] for k in _WATCHED):  # type: ignore[literal-required]
            number += 1
            view, last_sent = fresh, time.monotonic()
            yield _message("job", view, number)
        elif time.monotonic() - last_sent > KEEPALIVE_S:
            last_sent = time.monotonic()
            yield ServerSentEventMessage(comment="keep-alive")
    yield _message("end", view, number + 1)


@get(
    "/jobs/{job_id:str}/events",
    tags=("jobs",),
    summary="The job view as server-sent events (event: job, then event: end) until the job ends",
    responses=errors(400, 401, 404, 503),
)
async def job_events(
    job_id: FromPath[str], caller: NamedDependency[Caller], redis: NamedDependency[Redis]
) -> ServerSentEvent:
    # Checked before the stream starts, so refusals are ordinary JSON errors.
    job = await anyio.to_thread.run_sync(owned_job, redis, caller, job_id)
    first = await anyio.to_thread.run_sync(lambda: jobview.views(redis, [job])[0])
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return ServerSentEvent(_events(redis, job.id, first), headers=headers)
