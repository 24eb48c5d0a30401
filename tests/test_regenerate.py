"""Regenerating a question against real processes: the small job waits in the same queue under the
same cap as every job, and its end appends a revision with a new question by the requester."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from examgen.core import keys
from examgen.core.enqueue import enqueue
from tests.support import wait_until
from tests.test_browser import Stack, make_stack

# Starts examgen processes: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

RELEASE = "test:release"


def get(stack: Stack, user: str, path: str) -> Any:
    token = stack.admin if user == "ops" else stack.users[user]
    response = httpx.get(f"{stack.base}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def status(stack: Stack, job_id: str) -> str:
    return str(get(stack, "ops", f"/jobs/{job_id}")["status"])


def ended(stack: Stack, job_id: str, what: str) -> str:
    def end() -> str | None:
        now = status(stack, job_id)
        return now if now in ("finished", "failed") else None

    return str(wait_until(end, 180, what=what))


def regenerate(stack: Stack, user: str, job_id: str, qid: str, body: dict[str, str] | None = None) -> str:
    response = httpx.post(
        f"{stack.base}/jobs/{job_id}/exam/questions/{qid}/regenerate",
        json=body,
        headers={"Authorization": f"Bearer {stack.users[user]}"},
        timeout=30,
    )
    assert response.status_code == 202, response.text
    return str(response.json()["job_id"])


def test_regeneration_waits_for_the_cap_and_appends_a_revision(tmp: Path) -> None:
    stack = make_stack(tmp, cap=1)
    try:
        job_id = stack.submit("alice", "water-cycle-handout.pdf", num_questions="5")  # sentences left to draw on
        assert ended(stack, job_id, "the exam job") == "finished"
        generated = get(stack, "alice", f"/jobs/{job_id}/exam")
        questions = generated["questions"]
        target = next(q for q in questions if q["type"] != "cloze")
        doomed = next(q for q in questions if q["id"] != target["id"])
        # The source text is kept with the exam's lifetime, compressed.
        assert abs(stack.redis.pttl(keys.source(job_id)) - stack.redis.pttl(keys.exam(job_id))) < 5000

        # Another token's long job holds the only slot of the cap.
        holder = enqueue(stack.redis, "tests.testjobs.held_until", args=(RELEASE,), owner="bob").job.id
        wait_until(lambda: status(stack, holder) == "started", 60, what="the holding job to start")
        first = regenerate(stack, "alice", job_id, target["id"], {"type": "cloze"})
        second = regenerate(stack, "alice", job_id, doomed["id"])
        # Queued behind it: the cap holds for the small jobs too.
        queue = get(stack, "ops", "/queue/status")
        assert queue["processing"] == 1 and queue["queue_size"] == 2
        assert status(stack, first) == "queued" and status(stack, second) == "queued"
        assert get(stack, "alice", f"/jobs/{first}")["position"] == 1

        # Meanwhile the exam changes: a reviewer's revision without `doomed` (no route removes a
        # question yet; a revision written the way revisions.py writes one stands in for that).
        kept = [q for q in questions if q["id"] != doomed["id"]]
        record = {"revision": 1, "author": "carol", "created_at": "2026-01-01T00:00:00Z", "change": "removed"}
        stack.redis.rpush(keys.revisions(job_id), json.dumps({**record, "exam": {**generated, "questions": kept}}))
        assert status(stack, first) == "queued"

        stack.redis.set(RELEASE, "1")
        assert ended(stack, first, "the regeneration") == "finished"
        assert ended(stack, second, "the other regeneration") == "failed"
        assert "removed" in get(stack, "alice", f"/jobs/{second}")["error"]

        latest = get(stack, "alice", f"/jobs/{job_id}/exam")
        history = get(stack, "alice", f"/jobs/{job_id}/exam/revisions")
        assert [(r["revision"], r["author"], r["change"]) for r in history][-1] == (
            2,
            "alice",
            f"regenerated {target['id']}",
        )
        ids = [q["id"] for q in latest["questions"]]
        assert ids == [q["id"] for q in kept]  # id and position kept, on top of the revision made meanwhile
        new = latest["questions"][ids.index(target["id"])]
        assert new["type"] == "cloze" and new["explanation"]
        # From a sentence no question of the exam (as revised meanwhile) uses.
        assert new["source_text"] not in {q["source_text"] for q in kept}
        assert new["answer"].lower() not in {str(q["answer"]).lower() for q in kept}

        # Again: yet another question, unlike every one the exam has had.
        again = regenerate(stack, "alice", job_id, target["id"])
        assert ended(stack, again, "the second regeneration") == "finished"
        newer = next(q for q in get(stack, "alice", f"/jobs/{job_id}/exam")["questions"] if q["id"] == target["id"])
        assert newer["type"] == "cloze"  # the default: the type of the question it replaces
        assert newer["source_text"] not in {q["source_text"] for q in [*kept, new]}
        assert len(get(stack, "alice", f"/jobs/{job_id}/exam/revisions")) == 4
    finally:
        stack.redis.set(RELEASE, "1")
        for proc in stack.procs:
            proc.stop()
        stack.server.stop()
