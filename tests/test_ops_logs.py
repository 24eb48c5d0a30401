"""EXAMGEN_LOG_FORMAT=json: every line of web and worker output is one JSON object; no secrets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis import Redis

from examgen.services import tokens
from tests.support import PDFS, examgen_env, start_pool, start_web, wait_until

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

PDF = "water-cycle-handout.pdf"


def records(text: str, source: str) -> list[dict[str, Any]]:
    parsed = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise AssertionError(f"{source} line {number} is not JSON: {line!r}") from None
        assert isinstance(record, dict), line
        assert {"time", "level", "logger", "message"} <= set(record), line
        parsed.append(record)
    return parsed


def test_json_logs_carry_job_context_and_never_a_token_or_pdf_text(redis: Redis, redis_url: str, tmp: Path) -> None:
    env = examgen_env(redis_url, EXAMGEN_LOG_FORMAT="json", MAX_CONCURRENT_JOBS="1")
    token = tokens.create(redis, "log-reader")
    wrong = "eg_" + "x" * 43  # an unknown token must not be logged either
    web, base = start_web(env, tmp)
    pool = start_pool(env, tmp, 1)
    try:
        http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert http.get("/jobs", headers={"Authorization": f"Bearer {wrong}"}).status_code == 401
        with open(PDFS / PDF, "rb") as pdf:
            accepted = http.post("/generate", files={"file": (PDF, pdf, "application/pdf")})
        assert accepted.status_code == 202, accepted.text
        job_id = accepted.json()["job_id"]
        wait_until(lambda: http.get(f"/jobs/{job_id}").json()["status"] == "finished", 120, 0.2, "the job")
        exam = http.get(f"/jobs/{job_id}/exam").json()
    finally:
        web.stop()
        pool.stop()
    web_log, pool_log = web.log_path.read_text(), pool.log_path.read_text()
    lines = records(web_log, "web") + records(pool_log, "worker")

    enqueued = [r for r in lines if r.get("event") == "enqueued"]
    assert len(enqueued) == 1
    assert enqueued[0]["job_id"] == job_id and enqueued[0]["owner"] == "log-reader"
    assert enqueued[0]["queue_size"] == 1 and "Queue size: 1" in enqueued[0]["message"]
    ended = [r for r in lines if r.get("event") == "finished" and r.get("job_id") == job_id]
    assert len(ended) == 1 and isinstance(ended[0]["seconds"], float) and ended[0]["queue_size"] == 0
    assert any(r.get("event") == "started" and r.get("job_id") == job_id for r in lines)
    assert any(r["logger"].startswith("uvicorn") for r in lines)  # the server's own lines too

    everything = web_log + pool_log
    assert token not in everything and wrong not in everything
    assert token.removeprefix("eg_")[:12] not in everything
    for question in exam["questions"]:
        assert question["source_text"][:40] not in everything
