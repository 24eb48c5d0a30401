"""Issue 16 through the Procfile's processes: concurrent retries with one Idempotency-Key, reuse of a
finished exam, and the new exports of a job a real worker ran."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
from httpx_sse import connect_sse
from lxml import etree
from redis import Redis

from examgen.services import tokens
from tests.support import EXAMGEN, PDFS, ROOT, Stack, examgen_env, start_web

sys.path.insert(0, str(Path(__file__).resolve().parent / "generator"))
from qti_rules import QTI_MODELS, QTI_NS, problems

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs
PDF = (PDFS / "water-cycle-handout.pdf").read_bytes()


def _jobs(stack: Stack) -> set[str]:
    return {view["job_id"] for view in stack.http.get("/jobs", params={"limit": 500}).json()}


def test_concurrent_retries_with_one_key_make_one_job(stack: Stack) -> None:
    before = _jobs(stack)
    threads_n = 8
    start = threading.Barrier(threads_n)
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def retry() -> None:
        with httpx.Client(base_url=stack.base, headers=dict(stack.http.headers), timeout=60) as http:
            start.wait(timeout=30)
            files = {"file": ("notes.pdf", PDF, "application/pdf")}
            response = http.post("/generate", files=files, data={"num_questions": "4"},
                                 headers={"Idempotency-Key": "concurrent-retry"})  # fmt: skip
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=retry) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert len(answers) == threads_n
    assert {r.status_code for r in answers} == {202}, [r.text for r in answers]
    job_ids = {r.json()["job_id"] for r in answers}
    assert len(job_ids) == 1
    assert sum("idempotent-replayed" not in r.headers for r in answers) == 1
    assert _jobs(stack) - before == job_ids
    assert stack.wait(job_ids.pop())["status"] == "finished"


def test_reuse_takes_no_slot_for_a_finished_exam(stack: Stack) -> None:
    first = stack.submit("water-cycle-handout.pdf", reuse="true", num_questions="3")
    assert stack.wait(first["job_id"])["status"] == "finished"
    before = _jobs(stack)
    files = {"file": ("again.pdf", PDF, "application/pdf")}
    again = stack.http.post("/generate", files=files, data={"reuse": "true", "num_questions": "3"})
    assert again.status_code == 200 and again.json()["job_id"] == first["job_id"]
    assert _jobs(stack) == before


def test_the_new_exports_of_a_job_a_worker_ran(stack: Stack) -> None:
    view = stack.submit("water-cycle-handout.pdf", num_questions="8", variants="2")
    job_id = view["job_id"]
    assert stack.wait(job_id)["status"] == "finished"
    exam_a = stack.http.get(f"/jobs/{job_id}/exam", params={"variant": "A"}).json()
    exam_b = stack.http.get(f"/jobs/{job_id}/exam", params={"variant": "B"}).json()
    assert sorted(q["id"] for q in exam_a["questions"]) == sorted(q["id"] for q in exam_b["questions"])
    qti = stack.http.get(f"/jobs/{job_id}/exam", params={"format": "qti", "variant": "B"})
    assert qti.status_code == 200 and qti.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(qti.content))
    assessment = etree.fromstring(archive.read(next(n for n in archive.namelist() if n != "imsmanifest.xml")))
    assert problems(assessment, QTI_NS, QTI_MODELS) == []
    items = [item.get("ident") for item in assessment.iter(f"{{{QTI_NS}}}item")]
    assert items == [q["id"] for q in exam_b["questions"]]
    student = stack.http.get(f"/jobs/{job_id}/exam", params={"format": "docx", "key": "none", "variant": "B"})
    texts = [p.text for p in docx.Document(io.BytesIO(student.content)).paragraphs]
    assert "Answer key" not in texts and any("Variant B" in t for t in texts)
    assert_missing = stack.http.get(f"/jobs/{job_id}/exam", params={"variant": "C"})
    assert assert_missing.status_code == 404 and set(assert_missing.json()) == {"status_code", "detail"}


def _submit(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    env = examgen_env("redis://127.0.0.1:1/0", EXAMGEN_URL=stack.base, EXAMGEN_TOKEN=stack.token)
    return subprocess.run(
        [EXAMGEN, "submit", str(PDFS / "water-cycle-handout.pdf"), "-n", "2", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


def test_submit_sends_the_key_and_reuse(stack: Stack, tmp_path: Path) -> None:
    first = _submit(stack, "--idempotency-key", "cli-key-1")
    again = _submit(stack, "--idempotency-key", "cli-key-1")
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    assert first.stdout.split() == again.stdout.split() and len(first.stdout.split()) == 1
    other = _submit(stack, "--idempotency-key", "cli-key-1", "-n", "3")
    assert other.returncode == 1 and "422" in other.stderr and "Idempotency-Key" in other.stderr
    args = ("--reuse", "--types", "mcq", "--variants", "2")
    made = _submit(stack, *args, "-o", str(tmp_path / "a"), "--format", "aiken,docx")
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(
        f"water-cycle-handout.{v}.{ext}" for v in "AB" for ext in ("aiken.txt", "docx")
    )
    reused = _submit(stack, *args)
    assert reused.returncode == 0 and "Uploaded" in reused.stderr
    job_id = reused.stdout.split()[0]
    assert stack.http.get(f"/jobs/{job_id}").json()["status"] == "finished"  # the made one, answered at once


def test_events_stream_a_job_a_worker_runs_to_its_end(stack: Stack) -> None:
    job_id = stack.submit("water-cycle-handout.pdf", num_questions="3")["job_id"]
    with connect_sse(stack.http, "GET", f"/jobs/{job_id}/events", timeout=120) as source:
        assert source.response.status_code == 200
        seen = [(sse.event, json.loads(sse.data)) for sse in source.iter_sse()]
    assert seen[-1][0] == "end" and seen[-1][1]["status"] == "finished" and seen[-1][1]["progress"] == 100
    assert all(event == "job" for event, _ in seen[:-1]) and seen[:-1]
    assert {"status", "position", "estimated_wait_time", "progress"} <= set(seen[0][1])


@pytest.fixture(scope="module")
def idle_web(redis_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A web process on a Redis database no worker serves: jobs stay queued until canceled."""
    idle_db = redis_server.url.rsplit("/", 1)[0] + "/2"
    Redis.from_url(idle_db).flushdb()
    web, base = start_web(examgen_env(idle_db), tmp_path_factory.mktemp("idle"))
    try:
        yield base, tokens.create(Redis.from_url(idle_db), "idle-user")
    finally:
        web.stop()


def test_events_follow_the_queue_position_then_the_end(idle_web: tuple[str, str]) -> None:
    base, token = idle_web
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        files = {"file": ("notes.pdf", PDF, "application/pdf")}
        ahead, job_id = (http.post("/generate", files=files).json()["job_id"] for _ in range(2))
        seen: list[tuple[str, Any]] = []
        with connect_sse(http, "GET", f"/jobs/{job_id}/events") as source:
            for sse in source.iter_sse():
                event, data = sse.event, json.loads(sse.data)
                seen.append((event, data))
                if len(seen) == 1:
                    assert data["status"] == "queued" and data["position"] == 2
                    assert http.delete(f"/jobs/{ahead}").status_code == 200  # it moves up
                elif event == "job" and data["position"] == 1:
                    assert http.delete(f"/jobs/{job_id}").status_code == 200  # and then ends
                assert len(seen) < 10  # bounded: two changes, then the end
    assert [d["position"] for e, d in seen if e == "job"] == [2, 1, None]
    assert seen[-1][0] == "end" and seen[-1][1]["status"] == "canceled"


def test_submit_wait_follows_the_event_stream_not_polling(stack: Stack, tmp_path: Path) -> None:
    done = _submit(stack, "--wait", "-o", str(tmp_path), "--format", "json")
    assert done.returncode == 0, done.stderr
    job_id = done.stderr.split("job ", 1)[1].split()[0]
    log = stack.procs["web"].log_path.read_text(errors="replace")
    assert f"GET /jobs/{job_id}/events HTTP" in log
    assert f"GET /jobs/{job_id} HTTP" not in log  # no polling while the stream answered
    assert (tmp_path / "water-cycle-handout.json").is_file()


def test_the_clients_stream_reader_says_when_there_is_none(stack: Stack) -> None:
    from examgen.client import watch_events

    with httpx.Client(base_url=stack.base, headers=dict(stack.http.headers)) as http:
        assert watch_events(http, "no-such-job", lambda view: None) is None  # 404: the caller polls
        job_id = stack.submit("water-cycle-handout.pdf", num_questions="2")["job_id"]
        seen: list[dict[str, Any]] = []
        final = watch_events(http, job_id, seen.append)
    assert final is not None and final["status"] == "finished" and seen[-1] == final
