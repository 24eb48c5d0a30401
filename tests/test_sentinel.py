"""Redis Sentinel: a primary SIGKILLed under load fails over, and the service recovers by itself.

A primary, a replica and three sentinels of our own (examgen.testing.SentinelCluster); examgen web
and a worker pool reach them only through REDIS_URL=redis+sentinel://...
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from examgen.core import keys, stats
from examgen.core.connection import connect, parse_sentinel
from examgen.services import tokens
from examgen.testing import SentinelCluster
from tests.support import PDFS, examgen_env, start_pool, start_web, wait_until

pytestmark = pytest.mark.procs

CAP = 2
SMALL_PDF = (PDFS / "water-cycle-handout.pdf").read_bytes()


def test_sentinel_url_names_hosts_service_db_and_password() -> None:
    target = parse_sentinel("redis+sentinel://:s3cret@10.0.0.1:26379,10.0.0.2/mymaster/3?sentinel_password=x")
    assert target.hosts == [("10.0.0.1", 26379), ("10.0.0.2", 26379)]
    assert (target.service, target.db, target.password, target.sentinel_password) == ("mymaster", 3, "s3cret", "x")


def test_a_killed_primary_fails_over_without_losing_an_accepted_job(tmp_path: Path) -> None:
    cluster = SentinelCluster(tmp_path)
    cluster.start()
    env = examgen_env(cluster.url, MAX_CONCURRENT_JOBS=str(CAP), EXAMGEN_LEASE_TTL="10")
    procs = []
    try:
        redis = connect(cluster.url)
        token = tokens.create(redis, "load")
        web, base = start_web(env, tmp_path)
        procs = [web, start_pool(env, tmp_path, 3)]
        http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        accepted: list[str] = []
        answers: list[int] = []

        def submit() -> None:
            response = http.post("/generate", files={"file": ("a.pdf", SMALL_PDF, "application/pdf")})
            answers.append(response.status_code)
            if response.status_code == 202:
                accepted.append(response.json()["job_id"])

        for _ in range(8):
            submit()
        wait_until(lambda: stats.read_status(redis, keys.queue, CAP).total_processed >= 2, 60, what="jobs ending")
        before = stats.read_status(redis, keys.queue, CAP)
        old_port = cluster.primary.port
        cluster.primary.kill()  # SIGKILL mid-load: jobs waiting and running
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and (
            len(answers) < 200 and (not answers or answers[-1] != 202 or 503 not in answers)
        ):
            submit()
            time.sleep(0.1)
        assert 503 in answers and answers[-1] == 202  # refused briefly, then back by itself
        assert cluster.primary_port() not in (None, old_port)
        for _ in range(4):
            submit()
        redis = connect(cluster.url)

        def all_ended() -> bool:
            return all(
                (redis.hget(f"rq:job:{job_id}", "status") or b"").decode() in ("finished", "failed")
                for job_id in accepted
            )

        wait_until(all_ended, 120, interval_s=0.5, what="every accepted job to end")
        after = stats.read_status(redis, keys.queue, CAP)
        assert after.max_processing <= CAP
        assert after.max_processing >= before.max_processing and after.max_queue_size >= before.max_queue_size
        assert after.total_processed >= before.total_processed
    finally:
        for proc in procs:
            proc.stop()
        cluster.stop()
