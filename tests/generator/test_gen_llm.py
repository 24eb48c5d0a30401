"""The optional model backend against a tiny local chat-completions server (no network)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from gen_helpers import assert_sound, english_pdf_bytes, extracted_text, plain

from examgen.core.settings import get_settings
from examgen.generator import ExamOptions, LlmBackend, generate_exam, llm

Reply = Callable[[dict[str, Any]], tuple[int, str]]


class FakeModel:
    """Answers POSTs with the next reply in `replies` (the last one repeats) and records requests."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.requests: list[tuple[str, dict[str, Any], dict[str, str]]] = []
        model = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                model.requests.append((self.path, body, dict(self.headers)))
                reply = model.replies[min(len(model.requests), len(model.replies)) - 1]
                status, text = reply(body)
                payload = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()


def chat(content: str) -> tuple[int, str]:
    return 200, json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]})


def good_questions(body: dict[str, Any]) -> tuple[int, str]:
    """What a sensible model sends: a cloze per sentence (blanking its longest word), one true
    statement, and two broken questions the generator must drop."""
    request = json.loads(body["messages"][-1]["content"])
    sentences = request["sentences"]
    questions: list[dict[str, Any]] = []
    for sentence in sentences[:4]:
        word = max(sentence.rstrip(".").split(), key=len)
        questions.append(
            {"type": "cloze", "source_text": sentence, "prompt": sentence.replace(word, "_____", 1), "answer": word}
        )
    questions.append({"type": "true_false", "source_text": sentences[5], "prompt": sentences[5], "answer": True})
    questions.append({"type": "cloze", "source_text": sentences[6], "prompt": sentences[6], "answer": "Mars"})
    questions.append({"type": "cloze", "source_text": "Not in the document.", "prompt": "_____ in.", "answer": "Not"})
    return chat("Here you are:\n```json\n" + json.dumps({"questions": questions}) + "\n```")


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeModel]:
    model = FakeModel()
    monkeypatch.setattr(llm.time, "sleep", lambda seconds: None)  # retries without waiting
    yield model
    model.server.shutdown()


def backend(model: FakeModel, url: str | None = None) -> LlmBackend:
    return LlmBackend(url or model.url, "test-model", "sk-test")


def _exam(backend: LlmBackend | None, options: ExamOptions | None = None) -> dict[str, Any]:
    options = options or ExamOptions(num_questions=8)
    return plain(generate_exam(english_pdf_bytes(), "water.pdf", options, max_pages=10, llm=backend))


def test_model_questions_are_validated_and_topped_up(fake_model: FakeModel) -> None:
    fake_model.replies = [good_questions]
    exam = _exam(backend(fake_model))
    assert exam["generator"] == "llm:test-model"
    assert_sound(exam, extracted_text(english_pdf_bytes()))
    assert len(exam["questions"]) == 8  # 5 sound model questions, 3 offline ones on other sentences
    sent = json.loads(fake_model.requests[0][1]["messages"][-1]["content"])
    model_sources = set(sent["sentences"][:4]) | {sent["sentences"][5]}
    assert model_sources <= {q["source_text"] for q in exam["questions"]}
    assert all(q["source_text"] != "Not in the document." for q in exam["questions"])
    path, body, headers = fake_model.requests[0]
    assert path == "/v1/chat/completions" and body["model"] == "test-model"
    assert headers["Authorization"] == "Bearer sk-test"
    assert sent["allowed_types"] == ["mcq", "cloze", "true_false"] and sent["number_of_questions"] == 8


def test_url_ending_in_v1_is_not_doubled(fake_model: FakeModel) -> None:
    fake_model.replies = [good_questions]
    assert _exam(backend(fake_model, fake_model.url + "/v1/"))["generator"] == "llm:test-model"
    assert fake_model.requests[0][0] == "/v1/chat/completions"


def test_two_retries_then_success(fake_model: FakeModel) -> None:
    fake_model.replies = [lambda body: (503, "{}"), lambda body: chat("not json at all"), good_questions]
    assert _exam(backend(fake_model))["generator"] == "llm:test-model"
    assert len(fake_model.requests) == 3


@pytest.mark.parametrize(
    "reply",
    [
        lambda body: (500, "oops"),
        lambda body: chat("I cannot help with that."),
        lambda body: chat(json.dumps({"questions": [{"type": "essay"}]})),
        lambda body: (200, "<html>proxy error</html>"),
    ],
)
def test_any_failure_falls_back_to_offline(fake_model: FakeModel, reply: Reply) -> None:
    fake_model.replies = [reply]
    exam = _exam(backend(fake_model))
    assert exam["generator"] == "builtin"
    assert 1 <= len(fake_model.requests) <= 3
    assert exam == _exam(None)  # exactly the exam of the offline generator


def test_client_errors_are_not_retried(fake_model: FakeModel) -> None:
    fake_model.replies = [lambda body: (401, '{"error": "bad key"}')]
    assert _exam(backend(fake_model))["generator"] == "builtin"
    assert len(fake_model.requests) == 1


def test_unreachable_server_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    closed = FakeModel()
    closed.server.shutdown()
    closed.server.server_close()
    monkeypatch.setattr(llm.time, "sleep", lambda seconds: None)
    assert _exam(backend(closed))["generator"] == "builtin"


def test_completions_url() -> None:
    assert llm.completions_url("http://h:1") == "http://h:1/v1/chat/completions"
    assert llm.completions_url("http://h:1/v1") == "http://h:1/v1/chat/completions"
    assert llm.completions_url("http://h:1/openai/v1/") == "http://h:1/openai/v1/chat/completions"
    assert llm.completions_url("http://h:1/v1/chat/completions") == "http://h:1/v1/chat/completions"


def test_the_worker_reads_the_model_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from examgen.worker.task import llm_backend

    monkeypatch.delenv("EXAMGEN_LLM_URL", raising=False)
    get_settings.cache_clear()
    assert llm_backend() is None
    monkeypatch.setenv("EXAMGEN_LLM_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("EXAMGEN_LLM_API_KEY", "sk-x")
    get_settings.cache_clear()
    try:
        assert llm_backend() == LlmBackend("http://127.0.0.1:9/v1", "default", "sk-x")
    finally:
        get_settings.cache_clear()
