"""End to end as a newcomer runs it: the Procfile's processes, real PDFs, every export."""

from __future__ import annotations

import os
import re
import shlex
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis import Redis

from api import tokens
from tests.support import PDFS, ROOT, Proc, examgen_env, free_port, wait_until

BIN = str(Path(sys.executable).parent)


class Stack:
    def __init__(self, base: str, token: str, procs: dict[str, Proc]) -> None:
        self.base = base
        self.token = token
        self.procs = procs
        self.http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    def submit(self, name: str, **fields: str) -> dict[str, Any]:
        with open(PDFS / name, "rb") as pdf:
            response = self.http.post("/generate", files={"file": (name, pdf, "application/pdf")}, data=fields)
        assert response.status_code == 202, response.text
        return response.json()  # type: ignore[no-any-return]

    def wait(self, job_id: str, timeout_s: float = 120) -> dict[str, Any]:
        def ended() -> dict[str, Any] | None:
            view = self.http.get(f"/jobs/{job_id}").json()
            return view if view["status"] in ("finished", "failed", "canceled") else None

        return wait_until(ended, timeout_s, interval_s=0.2, what=f"job {job_id}")  # type: ignore[no-any-return]


def procfile_commands() -> dict[str, list[str]]:
    commands = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            commands[name.strip()] = shlex.split(command)
    return commands


@pytest.fixture(scope="module")
def stack(redis_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    Redis.from_url(redis_server.url).flushall()
    tmp = tmp_path_factory.mktemp("e2e")
    port = free_port()
    env = examgen_env(redis_server.url, PORT=str(port), EXAMGEN_HOST="127.0.0.1", MAX_CONCURRENT_JOBS="2")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    commands = procfile_commands()
    assert set(commands) >= {"web", "worker"}
    procs = {name: Proc(cmd, env, tmp / f"{name}.log") for name, cmd in commands.items() if name in ("web", "worker")}
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(up, 30, what="examgen web")
        token = tokens.create(Redis.from_url(redis_server.url), "e2e-user")
        yield Stack(base, token, procs)
    finally:
        for proc in procs.values():
            proc.stop()


def test_an_english_pdf_becomes_an_exam_in_every_format(stack: Stack) -> None:
    view = stack.submit("pdflatex-4-pages.pdf", num_questions="6", title="Filler & <friends>")
    done = stack.wait(view["job_id"])
    assert done["status"] == "finished", done
    assert done["progress"] == 100 and done["error"] is None and done["ended_at"] and done["started_at"]
    exam = stack.http.get(f"/jobs/{view['job_id']}/exam").json()
    assert exam["title"] == "Filler & <friends>" and exam["generator"] == "builtin"
    assert exam["source"]["filename"] == "pdflatex-4-pages.pdf" and exam["source"]["pages"] == 4
    assert len(exam["source"]["sha256"]) == 64
    assert 1 <= len(exam["questions"]) <= 6
    for question in exam["questions"]:
        assert question["type"] in ("mcq", "cloze", "true_false")
        assert 1 <= question["source_page"] <= 4
        if question["type"] == "mcq":
            assert len(set(question["options"])) == 4 and question["answer"] in question["options"]
        if question["type"] in ("mcq", "cloze"):
            assert "_____" in question["prompt"] and question["answer"] in question["source_text"]
        else:
            assert isinstance(question["answer"], bool)

    html = stack.http.get(f"/jobs/{view['job_id']}/exam", params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html")
    assert "<friends>" not in html.text and "&lt;friends&gt;" in html.text
    first_prompt_at = html.text.find(exam["questions"][0]["prompt"][:20].replace("&", "&amp;"))
    assert 0 < first_prompt_at < html.text.lower().rfind("answer key")

    moodle = stack.http.get(f"/jobs/{view['job_id']}/exam", params={"format": "moodle"})
    quiz = ET.fromstring(moodle.content)
    kinds = {q.get("type") for q in quiz.iter("question")} - {"category"}
    assert kinds <= {"multichoice", "shortanswer", "truefalse"} and kinds

    gift = stack.http.get(f"/jobs/{view['job_id']}/exam", params={"format": "gift"}).text
    blocks = [b for b in re.split(r"\n\s*\n", gift) if b.strip() and not b.lstrip().startswith("//")]
    assert len(blocks) == len(exam["questions"])
    for block in blocks:
        body = re.sub(r"\\[~=#{}:\\]", "", block)  # escaped specials are text
        assert body.count("{") == 1 and body.count("}") == 1


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("libreoffice-writer-password.pdf", "encrypted"),
        ("crazyones-encrypted-256.pdf", "encrypted"),
        ("imagemagick-images.pdf", "no text layer"),
    ],
)
def test_unusable_pdfs_fail_with_a_sentence(stack: Stack, name: str, words: str) -> None:
    done = stack.wait(stack.submit(name)["job_id"])
    assert done["status"] == "failed"
    assert words in done["error"] and "Traceback" not in done["error"]
    assert stack.http.get(f"/jobs/{done['job_id']}/exam").status_code == 409


def test_a_broken_pdf_is_handled_and_the_worker_survives(stack: Stack) -> None:
    done = stack.wait(stack.submit("issue-297.pdf")["job_id"])
    assert done["status"] in ("finished", "failed")
    if done["status"] == "failed":
        assert re.search(r"damaged|too little text", done["error"]), done["error"]
    after = stack.wait(stack.submit("crazyones.pdf")["job_id"])
    assert after["status"] in ("finished", "failed")  # the worker still takes jobs
    if after["status"] == "failed":
        assert "too little text" in after["error"]


def test_queue_status_as_json_and_as_a_fragment(stack: Stack) -> None:
    status = stack.http.get("/queue/status").json()
    for key in ("queue_size", "max_queue_size", "processing", "max_processing", "max_concurrent",
                "total_processed", "total_failed", "estimated_wait_time"):
        assert isinstance(status[key], int), key
    assert status["max_concurrent"] == 2 and status["live_workers"] == 2
    fragment = stack.http.get("/queue/status", headers={"HX-Request": "true"})
    assert fragment.headers["content-type"].startswith("text/html")
    assert re.search(rf'data-stat="total_processed"[^>]*>\s*{status["total_processed"]}\s*<', fragment.text)


def test_every_enqueue_start_and_end_logs_the_queue_size(stack: Stack) -> None:
    stack.wait(stack.submit("crazyones.pdf")["job_id"])
    time.sleep(0.5)
    logs = stack.procs["web"].output() + stack.procs["worker"].output()
    events = re.findall(r"(enqueued|started|finished|failed) \S+\. Queue size: \d+ \(processing \d+/2\)", logs)
    assert {"enqueued", "started"} <= set(events) and ({"finished", "failed"} & set(events))
