"""Reviewed revisions of an exam: stored beside the generated one, validated, applied.

The generated exam (`keys.exam`) is revision 0 and is never written again. Each change — an edit
of one question, accepting or rejecting it, a new order — appends a whole copy of the exam to the
job's revision list (`keys.revisions`) with who made it and when. Copies rather than diffs: serving
any revision is one LINDEX and never depends on the revisions before it, and an exam (at most 100
questions of bounded text) is small. The list takes the exam's remaining lifetime, so revisions
expire with the job's result.

Both the HTTP API (api/review.py) and the review pages (dashboard/review.py) call this module; the
refusals are Litestar HTTP exceptions carrying their status code, as in examgen.services.jobs.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable

import msgspec
from litestar.exceptions import HTTPException, NotFoundException
from redis import Redis, WatchError
from rq.job import Job, JobStatus

from examgen.core import keys
from examgen.core.jobstates import REGENERATE_QUESTION
from examgen.core.settings import get_settings
from examgen.generator import REVIEW_STATUSES, Cloze, Exam, Mcq, Question, ReviewStatus, TrueFalse
from examgen.generator.exam import decode
from examgen.generator.question_types import BLANK
from examgen.services import jobview
from examgen.services.jobs import NotReady
from examgen.services.tokens import Caller

# The per-question mark a revision keeps; exports never show it (see `served`).
STATUS = "status"
STATUSES = REVIEW_STATUSES
EDITABLE = ("prompt", "options", "answer", "explanation", STATUS)
MAX_PROMPT_CHARS = 1000
MAX_OPTION_CHARS = 200
MAX_ANSWER_CHARS = 200
MAX_EXPLANATION_CHARS = 2000
MAX_OPTIONS = 10
MAX_ID_CHARS = 64
# Two editors saving at the same moment: the loser re-reads and re-applies, a bounded number of times.
_ATTEMPTS = 5


class Record(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One revision: its number (0: as generated), who made it and when, what changed, the exam."""

    revision: int
    author: str | None
    created_at: str | None
    change: str
    exam: Exam
    by_job: str | None = None
    """The regeneration job that made it: a job run again finds its revision instead of adding one."""


class Summary(msgspec.Struct):
    revision: int
    author: str | None
    created_at: str | None
    change: str


class InvalidEdit(HTTPException):
    status_code = 422


class TooManyRevisions(HTTPException):
    status_code = 409


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def generated_exam(redis: Redis, job: Job) -> Exam:
    """Revision 0: 409 until the job has finished, 404 once the exam has expired."""
    if job.func_name == REGENERATE_QUESTION:
        parent = (job.meta or {}).get("regenerates", {}).get("job")
        raise NotFoundException(f"This job regenerated a question of job {parent}'s exam; it has no exam itself.")
    if job.get_status(refresh=False) != JobStatus.FINISHED:
        raise NotReady(f"The exam is not ready: the job is {jobview.public_status(job)}.")
    raw = redis.get(keys.exam(job.id))
    if raw is None:
        raise NotFoundException("The exam has expired and is no longer stored.")
    return decode(raw)


def _first(job: Job, exam: Exam) -> Record:
    ended = jobview.view(job, None, None)["ended_at"]
    return Record(revision=0, author=None, created_at=ended, change="generated", exam=exam)


def _record(raw: bytes | str) -> Record:
    return msgspec.json.decode(raw, type=Record)


def _summary(record: Record) -> Summary:
    return Summary(record.revision, record.author, record.created_at, record.change)


def history(redis: Redis, job: Job) -> list[Summary]:
    """Every revision without its exam, oldest first: number, author, when, what changed."""
    first = _first(job, generated_exam(redis, job))
    stored = redis.lrange(keys.revisions(job.id), 0, -1)
    return [_summary(first), *(_summary(_record(raw)) for raw in stored)]


def revision(redis: Redis, job: Job, number: int | None = None) -> Record:
    """Revision `number` (None: the latest) with its exam; 404 for one the job does not have."""
    generated = generated_exam(redis, job)
    count = int(redis.llen(keys.revisions(job.id)))
    wanted = count if number is None else number
    if wanted == 0:
        return _first(job, generated)
    raw = redis.lindex(keys.revisions(job.id), wanted - 1) if 0 < wanted <= count else None
    if raw is None:
        raise NotFoundException(f"This exam has no revision {wanted}: it has revisions 0 to {count}.")
    return _record(raw)


def served(exam: Exam) -> Exam:
    """What exports hold: rejected questions left out, review marks dropped. An exam nobody marked
    is returned as it is, so unrevised exams export exactly as generated."""
    if all(question.status is None for question in exam.questions):
        return exam
    kept = [msgspec.structs.replace(q, status=None) for q in exam.questions if q.status != "rejected"]
    return msgspec.structs.replace(exam, questions=kept)


def _text(field: str, value: object, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidEdit(f"`{field}` must be a string.")
    # Runs of whitespace (newlines too) become one space: the line-based formats (GIFT, Aiken)
    # cannot hold a line break inside a question.
    text = " ".join(value.split())
    if not text:
        raise InvalidEdit(f"`{field}` must not be empty.")
    if len(text) > limit:
        raise InvalidEdit(f"`{field}` is at most {limit} characters (this one has {len(text)}).")
    # Control characters would break the XML exports, lone surrogates every UTF-8 encoder.
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in text):
        raise InvalidEdit(f"`{field}` contains a control character.")
    return text


def _options(value: object) -> list[str]:
    if not isinstance(value, list):
        raise InvalidEdit("`options` must be a list of strings.")
    options = [_text("options", option, MAX_OPTION_CHARS) for option in value]
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise InvalidEdit(f"A multiple-choice question needs 2 to {MAX_OPTIONS} options.")
    if len({option.casefold() for option in options}) != len(options):
        raise InvalidEdit("The options must differ from each other.")
    return options


def _status(value: object) -> ReviewStatus:
    for status in STATUSES:
        if value == status:
            return status
    raise InvalidEdit(f"`status` must be one of {', '.join(STATUSES)}.")


def _common(question: Question, edit: dict[object, object]) -> Question:
    """The edit of the fields every type has: prompt, explanation, status."""
    if "prompt" in edit:
        question = msgspec.structs.replace(question, prompt=_text("prompt", edit["prompt"], MAX_PROMPT_CHARS))
    if "explanation" in edit:
        given = edit["explanation"]
        text = "" if given is None or (isinstance(given, str) and not given.strip()) else None
        why = text if text is not None else _text("explanation", given, MAX_EXPLANATION_CHARS)
        question = msgspec.structs.replace(question, explanation=why)
    if STATUS in edit:
        question = msgspec.structs.replace(question, status=_status(edit[STATUS]))
    return question


def edited_question(question: Question, edit: object) -> Question:
    """The question with `edit` applied (a dict of EDITABLE fields), or 422 saying what is wrong."""
    if not isinstance(edit, dict) or not edit:
        raise InvalidEdit(f"Send a JSON object with at least one of: {', '.join(EDITABLE)}.")
    unknown = sorted(str(name)[:MAX_ID_CHARS] for name in edit if name not in EDITABLE)
    if unknown:
        named = ", ".join(unknown[:5])
        raise InvalidEdit(f"Unknown field {named}: a question's editable fields are {', '.join(EDITABLE)}.")
    if "options" in edit and not isinstance(question, Mcq) and edit["options"] is not None:
        raise InvalidEdit("Only multiple-choice questions have options.")
    question = _common(question, edit)
    match question:
        case TrueFalse():
            if "answer" in edit:
                if not isinstance(edit["answer"], bool):
                    raise InvalidEdit("A true/false answer is true or false (a JSON boolean).")
                question = msgspec.structs.replace(question, answer=edit["answer"])
        case Mcq():
            if "options" in edit:
                question = msgspec.structs.replace(question, options=_options(edit["options"]))
            if "answer" in edit:
                question = msgspec.structs.replace(question, answer=_text("answer", edit["answer"], MAX_ANSWER_CHARS))
            if question.answer not in question.options:
                raise InvalidEdit("The answer of a multiple-choice question must be one of its options.")
        case Cloze():
            if "answer" in edit:
                answer = _text("answer", edit["answer"], MAX_ANSWER_CHARS)
                # The edited answer is what every format grades: the generated variants were of the old one.
                question = msgspec.structs.replace(question, answer=answer, accepted_answers=[answer])
            if question.prompt.count(BLANK) != 1:
                raise InvalidEdit(f"A cloze prompt holds the blank {BLANK} exactly once.")
    return question


def _index(exam: Exam, question_id: str) -> int:
    for number, question in enumerate(exam.questions):
        if question.id == question_id:
            return number
    raise NotFoundException(f"This exam has no question {question_id[:MAX_ID_CHARS]}.")


def reordered(exam: Exam, order: object) -> Exam:
    """The exam with its questions in `order` (every question id once), or 422."""
    ids = [question.id for question in exam.questions]
    if not isinstance(order, list) or not all(isinstance(item, str) for item in order):
        raise InvalidEdit("`order` must be a list of question ids (strings).")
    if len(order) != len(ids) or set(order) != set(ids):
        raise InvalidEdit(f"`order` must name each of the exam's {len(ids)} question ids exactly once.")
    by_id = {question.id: question for question in exam.questions}
    return msgspec.structs.replace(exam, questions=[by_id[item] for item in order])


Change = Callable[[Exam], Exam]


def _commit(redis: Redis, job: Job, caller: Caller, change: str, make: Change, by_job: str | None = None) -> Record:
    """Apply `make` to the latest revision and append the result as the next one, atomically
    (WATCH on the list: a concurrent save makes this one re-read and re-apply). A change that
    changes nothing makes no revision and answers the latest. `by_job`: the job making the change,
    which makes it at most once (a job run again after its worker died answers its first revision)."""
    generated = generated_exam(redis, job)
    name = keys.revisions(job.id)
    for _ in range(_ATTEMPTS):
        with redis.pipeline() as pipe:
            try:
                pipe.watch(name)  # type: ignore[no-untyped-call]
                count = int(pipe.llen(name))
                if by_job is not None:
                    done = [r for r in map(_record, pipe.lrange(name, 0, -1)) if r.by_job == by_job]
                    if done:
                        return done[0]
                raw = pipe.lindex(name, -1) if count else None
                latest = _record(raw) if raw is not None else _first(job, generated)
                new = make(latest.exam)
                if new == latest.exam:
                    return latest
                if count >= keys.max_revisions:
                    raise TooManyRevisions(f"This exam has reached the limit of {keys.max_revisions} revisions.")
                remaining_ms = int(pipe.pttl(keys.exam(job.id)))
                if remaining_ms == -2:
                    raise NotFoundException("The exam has expired and is no longer stored.")
                record = Record(
                    revision=count + 1, author=caller.name, created_at=_now(), change=change, exam=new, by_job=by_job
                )
                pipe.multi()
                pipe.rpush(name, msgspec.json.encode(record))
                if remaining_ms > 0:
                    pipe.pexpire(name, remaining_ms)
                else:  # an exam stored without a lifetime: the result lifetime from now
                    pipe.expire(name, get_settings().queue.result_ttl_s)
                pipe.execute()
                return record
            except WatchError:
                continue
    raise TooManyRevisions("The exam kept changing while this edit was saved; try again.")


def edit_question(redis: Redis, job: Job, caller: Caller, question_id: str, edit: object) -> Record:
    """A new revision with one question edited, accepted or rejected."""

    def make(exam: Exam) -> Exam:
        number = _index(exam, question_id)
        questions = list(exam.questions)
        questions[number] = edited_question(questions[number], edit)
        if all(question.status == "rejected" for question in questions):
            raise InvalidEdit("At least one question must stay: every other question is rejected already.")
        return msgspec.structs.replace(exam, questions=questions)

    fields = ", ".join(sorted(str(name) for name in edit)) if isinstance(edit, dict) else ""
    return _commit(redis, job, caller, f"{question_id[:MAX_ID_CHARS]}: {fields}", make)


def reorder(redis: Redis, job: Job, caller: Caller, order: object) -> Record:
    """A new revision with the questions in another order."""
    return _commit(redis, job, caller, "order", lambda exam: reordered(exam, order))


def replace_question(
    redis: Redis, job: Job, caller: Caller, question_id: str, question: Question, by_job: str | None = None
) -> Record:
    """A new revision with `question` in place of `question_id`, at its position, under its id: the
    end of a regeneration. Applied to the latest revision when it ends, whatever changed meanwhile;
    404 when the question was removed, 409 when an edit meanwhile gave another question its sentence."""

    def make(exam: Exam) -> Exam:
        number = _index(exam, question_id)
        others = [q for q in exam.questions if q.id != question_id]
        if any(q.source_text == question.source_text for q in others):
            raise NotReady("Another question of the exam now asks about the same sentence; regenerate again.")
        questions = list(exam.questions)
        questions[number] = msgspec.structs.replace(question, id=question_id)
        return msgspec.structs.replace(exam, questions=questions)

    return _commit(redis, job, caller, f"regenerated {question_id[:MAX_ID_CHARS]}", make, by_job)
