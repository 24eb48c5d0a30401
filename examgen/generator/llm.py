"""Optional question writing by an OpenAI-compatible chat-completions model (EXAMGEN_LLM_URL).

The model only gets sentences the offline stages already judged usable, and everything it returns
passes the same checks as offline questions (validate.question_problems). Any transport error,
non-JSON answer or a reply without one sound question means the offline exam is used instead; the
user never sees a model error, the log does.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import msgspec

from .labels import explanation
from .options import ExamOptions
from .question_types import Question
from .sentences import Sentence
from .validate import question_problems

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LlmBackend:
    """An OpenAI-compatible chat-completions API to write the questions."""

    url: str
    """The API's base URL (with or without /v1)."""
    model: str = "default"
    api_key: str | None = None


TIMEOUT = httpx.Timeout(60.0, connect=10.0)
RETRIES = 2
_MAX_SENTENCES = 60

_SYSTEM = """You write exam questions for teachers from sentences of their course material.
Reply with one JSON object and nothing else: {"questions": [...]}. Each question is an object:
- "type": one of the allowed types;
- "source_text": one of the given sentences, copied exactly, character for character;
- "prompt": for "mcq" and "cloze", source_text with exactly one important term or number replaced by
  "_____" (five underscores) and nothing else changed; for "true_false", either source_text unchanged
  (a true statement) or source_text with one term replaced by a plausible wrong one (a false statement);
- "answer": for "mcq" and "cloze", the exact text that "_____" replaced; for "true_false", true or false;
- "options": for "mcq", 4 distinct strings: the answer and 3 wrong options of the same kind (a year for
  a year, a name for a name, a term for a term) that do not contain the answer; otherwise null.
Use each sentence at most once. Prefer questions about key concepts, definitions, names and numbers.
Write nothing outside the JSON object."""


class _Unusable(Exception):
    """The model's reply cannot be used (reason in the message, for the log)."""


def completions_url(base: str) -> str:
    base = base.rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    return base + ("/chat/completions" if base.endswith("/v1") else "/v1/chat/completions")


def _content(response: httpx.Response) -> str:
    if response.status_code >= 400:
        raise _Unusable(f"HTTP {response.status_code}")
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise _Unusable("not a chat-completions response") from None
    if not isinstance(content, str):
        raise _Unusable("message content is not text")
    return content


def _questions_in(content: str) -> list[Any]:
    # Models like to wrap JSON in ``` fences or add a sentence around it; take the outermost object.
    text = re.sub(r"^```(?:json)?|```$", "", content.strip(), flags=re.MULTILINE).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise _Unusable("no JSON object in the reply")
    try:
        parsed = json.loads(text[start : end + 1])
    except json.JSONDecodeError:
        raise _Unusable("the reply is not valid JSON") from None
    questions = parsed.get("questions") if isinstance(parsed, dict) else None
    if not isinstance(questions, list):
        raise _Unusable('the reply has no "questions" list')
    return questions


def _ask(url: str, body: dict[str, Any], api_key: str | None) -> list[Any]:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    problem = "no attempt"
    with httpx.Client(timeout=TIMEOUT, follow_redirects=False) as client:
        for attempt in range(RETRIES + 1):
            if attempt:
                time.sleep(0.5 * attempt)
            try:
                response = client.post(url, json=body, headers=headers)
                if 400 <= response.status_code < 500 and response.status_code != 429:
                    raise _Unusable(f"HTTP {response.status_code}")  # our request is wrong: retrying won't help
                return _questions_in(_content(response))
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}"
            except _Unusable as exc:
                if str(exc).startswith("HTTP 4"):
                    raise
                problem = str(exc)
    raise _Unusable(f"{problem} after {RETRIES + 1} attempts")


def _normalise(raw: Any, pages: dict[str, int], types: tuple[str, ...], lang: str) -> Question | None:
    """The model's question as a typed one, or None when it is not one of the allowed types' shape."""
    if not isinstance(raw, dict) or raw.get("type") not in types:
        return None
    source = raw.get("source_text")
    if not isinstance(source, str) or source not in pages:
        return None
    kind, answer = raw["type"], raw.get("answer")
    fields = {
        "type": kind,
        "id": "",
        "prompt": raw.get("prompt"),
        "options": raw.get("options") if kind == "mcq" else None,
        "answer": answer,
        "source_page": pages[source],
        "source_text": source,
        "explanation": explanation(source, pages[source], lang, str(raw.get("explanation") or "")),
    }
    if kind == "cloze":
        fields["accepted_answers"] = [answer]  # a model's cloze comes without variants
    try:
        question: Question = msgspec.convert(fields, type=Question)
    except msgspec.ValidationError:
        return None
    return question


def llm_questions(
    offered: Sequence[Sentence],
    offline: Sequence[Question],
    options: ExamOptions,
    lang: str,
    document_text: str,
    pages: int,
    backend: LlmBackend | None,
) -> tuple[list[Question], str] | None:
    """Questions written by the model and topped up with offline ones, with the generator label;
    None when no model is given or it gave nothing usable."""
    if backend is None or not offered:
        return None
    model = backend.model
    chosen = list(offered)[:_MAX_SENTENCES]
    request = {
        "language": lang,
        "number_of_questions": options.num_questions,
        "allowed_types": list(options.types),
        "sentences": [s.text for s in chosen],
    }
    body = {
        "model": model,
        "temperature": 0.2,
        "messages": [
            {"role": "system", "content": _SYSTEM},
            {"role": "user", "content": json.dumps(request, ensure_ascii=False)},
        ],
    }
    try:
        raw_questions = _ask(completions_url(backend.url), body, backend.api_key)
    except _Unusable as exc:
        log.warning("LLM backend unusable (%s); using the offline generator", exc)
        return None

    by_text = {s.text: s.page for s in chosen}
    questions: list[Question] = []
    used: set[str] = set()
    for raw in raw_questions:
        question = _normalise(raw, by_text, options.types, lang)
        if question is None or question.source_text in used:
            continue
        if question_problems(question, document_text, pages):
            continue
        used.add(question.source_text)
        questions.append(question)
        if len(questions) == options.num_questions:
            break
    if not questions:
        log.warning("LLM reply had no sound question (%d returned); using the offline generator", len(raw_questions))
        return None
    for question in offline:  # fill up with offline questions about other sentences
        if len(questions) >= options.num_questions:
            break
        if question.source_text not in used:
            used.add(question.source_text)
            questions.append(question)
    return questions, f"llm:{model}"
