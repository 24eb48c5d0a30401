"""The review pages in headless Chromium against real processes: an owner logs in at /review, edits
a question, reloads, and finds the edit in the GIFT and Moodle XML exports; regenerates a question
and finds the new one after a reload and in the GIFT export."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser

from tests.support import wait_until
from tests.test_browser import assert_all_local, browser, make_stack  # noqa: F401

# Starts examgen processes and a browser: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs


def test_an_owner_edits_a_question_and_exports_it(browser: Browser, tmp: Path) -> None:  # noqa: F811
    stack = make_stack(tmp, cap=1)
    try:
        job_id = stack.submit("alice", "water-cycle-handout.pdf")
        theirs = stack.submit("bob", "water-cycle-handout.pdf")

        def finished() -> bool:
            view = httpx.get(f"{stack.base}/jobs/{job_id}", headers={"Authorization": f"Bearer {stack.users['alice']}"})
            return bool(view.json()["status"] == "finished")

        wait_until(finished, timeout_s=180, what="the exam job to finish")
        requests: list[str] = []
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{stack.base}/review")
        assert "/review/login" in page.url
        page.get_by_label("API token").fill(stack.users["alice"])
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{stack.base}/review")
        assert page.locator(f'[data-job="{job_id}"]').count() == 1
        assert page.locator(f'[data-job="{theirs}"]').count() == 0
        page.locator(f'[data-job="{job_id}"] a').click()
        page.wait_for_url(f"{stack.base}/review/jobs/{job_id}")
        # Nothing sticks out sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        card = page.locator("li.rq").filter(has_text="Multiple choice").first
        qid = card.get_attribute("data-question")
        # By keyboard: the summary opens with Enter, the fields take typing, Enter on the button saves.
        card.locator("summary").focus()
        page.keyboard.press("Enter")
        card.get_by_label("Stem").fill("Which harbour did the reviewer pick _____ first?")
        card.get_by_label("Options, one a line").fill("Valparaíso\nTarragona\nWinnipeg")
        card.get_by_label("Answer (one of the options)").fill("Valparaíso")
        card.get_by_label("Explanation").fill("Edited in the browser.")
        card.get_by_role("button", name=f"Save {qid}").focus()
        page.keyboard.press("Enter")
        page.locator('[data-revision="1"]').wait_for()

        # A malformed edit is shown beside its form, and makes no revision.
        card = page.locator(f'li[data-question="{qid}"]')
        card.locator("summary").click()
        card.get_by_label("Answer (one of the options)").fill("Nowhere")
        card.get_by_role("button", name=f"Save {qid}").click()
        page.locator(f"#error-{qid}").wait_for()
        assert "one of its options" in page.locator(f"#error-{qid}").inner_text()

        page.reload()
        assert page.locator('[data-revision="1"]').count() == 1
        assert "reviewer pick" in page.locator(f'li[data-question="{qid}"] .rq-stem').inner_text()
        gift = page.request.get(f"{stack.base}/jobs/{job_id}/exam?format=gift")
        moodle = page.request.get(f"{stack.base}/jobs/{job_id}/exam?format=moodle")
        assert gift.ok and moodle.ok
        for text in (gift.text(), moodle.text()):
            assert "reviewer pick" in text and "Valparaíso" in text and "Tarragona" in text
        assert "reviewer pick" not in page.request.get(f"{stack.base}/jobs/{job_id}/exam?format=gift&revision=0").text()
        # The owner's session does not open the admin dashboard.
        page.goto(f"{stack.base}/dashboard")
        assert "/dashboard/login" in page.url
        assert_all_local(requests)
        page.close()
    finally:
        for proc in stack.procs:
            proc.stop()
        stack.server.stop()


def test_an_owner_regenerates_a_question(browser: Browser, tmp: Path) -> None:  # noqa: F811
    stack = make_stack(tmp, cap=1)
    try:
        job_id = stack.submit("alice", "water-cycle-handout.pdf", num_questions="5")
        headers = {"Authorization": f"Bearer {stack.users['alice']}"}

        def finished() -> bool:
            return bool(httpx.get(f"{stack.base}/jobs/{job_id}", headers=headers).json()["status"] == "finished")

        wait_until(finished, timeout_s=180, what="the exam job to finish")
        generated = httpx.get(f"{stack.base}/jobs/{job_id}/exam", headers=headers).json()["questions"]
        requests: list[str] = []
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{stack.base}/review/login?next=/review/jobs/{job_id}")
        page.get_by_label("API token").fill(stack.users["alice"])
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{stack.base}/review/jobs/{job_id}")

        card = page.locator("li.rq").filter(has_text="Multiple choice").first
        qid = str(card.get_attribute("data-question"))
        old_stem = card.locator(".rq-stem").inner_text()
        # By keyboard: choose the new question's type, then Enter on the button.
        card.get_by_label(f"New question for {qid}").select_option("cloze")
        card.get_by_role("button", name=f"Regenerate {qid}").focus()
        page.keyboard.press("Enter")
        page.locator(f"#regen-{qid}[data-regenerating]").wait_for()  # "regenerating…", polling
        assert "Regenerating" in page.locator(f"#regen-{qid}").inner_text()
        page.locator('[data-revision="1"]').wait_for(timeout=120_000)

        card = page.locator(f'li[data-question="{qid}"]')
        assert card.locator(".rq-type").inner_text() == "Fill in the blank"
        new_stem = card.locator(".rq-stem").inner_text()
        assert new_stem != old_stem and "_____" in new_stem
        assert page.locator(f"#regen-{qid}[data-regenerating]").count() == 0
        assert f"regenerated {qid}" in str(page.locator(".history").text_content())

        page.reload()
        assert page.locator('[data-revision="1"]').count() == 1
        assert page.locator(f'li[data-question="{qid}"] .rq-stem').inner_text() == new_stem
        exam = page.request.get(f"{stack.base}/jobs/{job_id}/exam").json()
        new = next(q for q in exam["questions"] if q["id"] == qid)
        assert new["source_text"] not in {q["source_text"] for q in generated}
        gift = page.request.get(f"{stack.base}/jobs/{job_id}/exam?format=gift").text()
        assert new["answer"] in gift and new["prompt"].split("_____")[0].strip()[:20] in gift
        assert_all_local(requests)
        page.close()
    finally:
        for proc in stack.procs:
            proc.stop()
        stack.server.stop()
