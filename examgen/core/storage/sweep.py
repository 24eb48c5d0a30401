"""The sweeper: deletes uploads that no live job will read (run by every worker pool's chores).

An upload is written before its job is enqueued, so an enqueue that failed after the write (Redis
down, out of memory, a killed web process) leaves a blob with no job; a deletion that failed when
a job ended (store down) leaves one with an ended job. Both are found here: a blob older than the
grace period whose job is gone or ended. The grace period covers the moment between the write and
the enqueue; each round looks at a bounded number of blobs and moves on from there next round.
"""

from __future__ import annotations

import logging

from redis import Redis
from rq.job import Job

from examgen.core.jobstates import ENDED
from examgen.core.storage import BlobStore

log = logging.getLogger("examgen.storage")

# Far longer than any write-then-enqueue takes (milliseconds), short enough that orphans of a
# Redis outage are gone within the hour.
GRACE_S = 600
BATCH = 500
INTERVAL_S = 60


def sweep(connection: Redis, store: BlobStore, grace_s: float = GRACE_S, limit: int = BATCH) -> list[str]:
    """Delete at most `limit` orphaned uploads; returns their job ids."""
    candidates = store.older_than(grace_s, limit)
    if not candidates:
        return []
    with connection.pipeline(transaction=False) as pipe:
        for job_id in candidates:
            pipe.hget(Job.key_for(job_id), "status")
        statuses = pipe.execute()
    orphans = [j for j, s in zip(candidates, statuses, strict=True) if s is None or s.decode() in ENDED]
    for job_id in orphans:
        store.delete(job_id)
    if orphans:
        log.info("swept %d uploads with no live job", len(orphans))
    return orphans
