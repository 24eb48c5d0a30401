"""Fair shares with real worker pools: the per-owner running limit holds across two pools."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from redis import Redis

from examgen.core import keys, stats
from examgen.core.enqueue import enqueue
from tests import testjobs
from tests.support import examgen_env, start_pool, wait_until

pytestmark = pytest.mark.procs

CAP = 5
PER_OWNER = 2


def test_the_per_owner_running_limit_holds_across_two_pools(redis: Redis, redis_url: str, tmp: Path) -> None:
    env = examgen_env(redis_url, MAX_CONCURRENT_JOBS=str(CAP), EXAMGEN_MAX_RUNNING_PER_TOKEN=str(PER_OWNER))
    pools = [start_pool(env, tmp, 3, name="a"), start_pool(env, tmp, 3, name="b")]
    try:
        wait_until(lambda: stats.read_status(redis, keys.queue, CAP).live_workers == 6, 30, what="6 workers")
        for _ in range(12):
            enqueue(redis, "tests.testjobs.tracked", args=(0.4, "alice"), owner="alice")
        for _ in range(4):
            enqueue(redis, "tests.testjobs.tracked", args=(0.4, "bob"), owner="bob")
        wait_until(lambda: stats.read_status(redis, keys.queue, CAP).total_processed == 16, 120, what="16 ends")
    finally:
        for pool in pools:
            pool.stop()
    # Replay the jobs' own record of starts and ends: how many of each owner ran at once.
    running: Counter[str] = Counter()
    peak: Counter[str] = Counter()
    for event in (e.decode().split() for e in redis.lrange(testjobs.EVENTS, 0, -1)):
        kind, owner = event[0], event[2]
        running[owner] += 1 if kind == "start" else -1
        peak[owner] = max(peak[owner], running[owner])
        assert sum(running.values()) <= CAP
    assert peak["alice"] == PER_OWNER and peak["bob"] == PER_OWNER, peak
    assert redis.hlen(keys.fair_running) == 0
