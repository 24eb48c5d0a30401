"""End to end as a newcomer runs it: the Procfile's processes, real PDFs, every export."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET

import pytest

from tests.support import Stack

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs


def test_an_english_pdf_becomes_an_exam_in_every_format(stack: Stack) -> None:
    view = stack.submit("water-cycle-handout.pdf", num_questions="6", title="Filler & <friends>")
    done = stack.wait(view["job_id"])
    assert done["status"] == "finished", done
    assert done["progress"] == 100 and done["error"] is None and done["ended_at"] and done["started_at"]
    exam = stack.http.get(f"/jobs/{view['job_id']}/exam").json()
    assert exam["title"] == "Filler & <friends>" and exam["generator"] == "builtin"
    assert exam["source"]["filename"] == "water-cycle-handout.pdf" and exam["source"]["pages"] == 2
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
    words = max(exam["questions"][0]["prompt"].split("_____"), key=len).strip()[:20]  # the page marks up the blank
    first_prompt_at = html.text.find(words.replace("&", "&amp;"))
    assert 0 < first_prompt_at < html.text.lower().rfind("answer key")

    moodle = stack.http.get(f"/jobs/{view['job_id']}/exam", params={"format": "moodle"})
    quiz = ET.fromstring(moodle.content)
    kinds = {q.get("type") for q in quiz.iter("question")} - {"category"}
    assert kinds <= {"multichoice", "shortanswer", "truefalse"} and kinds

    gift = stack.http.get(f"/jobs/{view['job_id']}/exam", params={"format": "gift"}).text
    # GIFT: questions are separated by blank lines; `//` lines are comments, `$CATEGORY` a directive.
    lines = [ln for ln in gift.splitlines() if not ln.lstrip().startswith(("//", "$CATEGORY"))]
    blocks = [b for b in re.split(r"\n\s*\n", "\n".join(lines)) if b.strip()]
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
    for key in (
        "queue_size",
        "max_queue_size",
        "processing",
        "max_processing",
        "max_concurrent",
        "total_processed",
        "total_failed",
        "estimated_wait_time",
    ):
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


def test_fewer_questions_than_asked_are_explained_in_the_job_view_and_the_exam(stack: Stack) -> None:
    view = stack.submit("water-cycle-handout.pdf", num_questions="60")
    done = stack.wait(view["job_id"])
    assert done["status"] == "finished" and done["questions"] < 60
    assert (
        len(done["notices"]) == 1
        and f"supports {done['questions']} good questions of the 60 asked" in done["notices"][0]
    )
    exam = stack.http.get(f"/jobs/{view['job_id']}/exam").json()
    assert exam["notices"] == done["notices"]
