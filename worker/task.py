"""The job function: the stored PDF in, the exam out. Runs inside a work-horse process."""

from __future__ import annotations

import json
import time
import zlib
from typing import Any

import msgspec
from litestar.exceptions import HTTPException
from rq import get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job

from examgen.core import keys, storage
from examgen.core.settings import get_settings
from examgen.generator import ExamOptions, LlmBackend, NoNewQuestion, PdfProblem, generate_with_pages
from examgen.generator import regenerate_question as new_question
from examgen.services import revisions
from examgen.services.tokens import Caller


class JobProblem(Exception):
    """A job cannot finish for a reason a person can act on; the message is shown as `error`."""


def _report_progress(job: Job) -> Any:
    last = [-1]

    def report(percent: int) -> None:
        # Every save is a Redis write: report in steps a person can see, not every page.
        if percent >= last[0] + 5 or percent == 100:
            last[0] = percent
            job.meta["progress"] = percent
            job.save_meta()

    return report


def llm_backend() -> LlmBackend | None:
    """The model of EXAMGEN_LLM_URL, if one is configured."""
    settings = get_settings().llm
    if not settings.url:
        return None
    return LlmBackend(settings.url, settings.model or "default", settings.api_key)


def make_exam(options: dict[str, Any]) -> dict[str, Any]:

    job = get_current_job()
    assert job is not None, "make_exam runs only inside an RQ job"
    connection = job.connection
    settings = get_settings()
    data = _read_upload(job, storage.store_for(connection))
    try:
        exam, pages = generate_with_pages(
            data,
            str(job.meta.get("filename", "upload.pdf")),
            ExamOptions(**options),
            max_pages=settings.upload.max_pages,
            engine=settings.pdf.engine,
            llm=llm_backend(),
            on_progress=_report_progress(job),
        )
    except PdfProblem as problem:
        raise _fail(job, str(problem)) from None
    with connection.pipeline(transaction=True) as pipe:
        pipe.set(keys.exam(job.id), msgspec.json.encode(exam), ex=settings.queue.result_ttl_s)
        # Beside the exam and with its lifetime: what regenerating a question reads (worker/regenerate.py).
        pipe.set(keys.source(job.id), pack_pages(pages), ex=settings.queue.result_ttl_s)
        pipe.execute()
    storage.discard(connection, job.id)
    job.meta.update(progress=100, pages=exam.source.pages, questions=len(exam.questions), notices=exam.notices)
    job.save_meta()
    return {"questions": len(exam.questions), "pages": exam.source.pages}


def regenerate_question(request: dict[str, Any]) -> dict[str, Any]:
    """One new question in place of `request["question"]` of the exam of `request["job"]`, appended
    as a revision by `request["author"]` (examgen.services.regenerate enqueues this)."""
    job = get_current_job()
    assert job is not None, "regenerate_question runs only inside an RQ job"
    connection = job.connection
    parent_id, question_id = str(request["job"]), str(request["question"])
    try:
        parent = Job.fetch(parent_id, connection=connection)
    except NoSuchJobError:
        raise _fail(
            job, "The exam's job is no longer stored (it expired), so its question cannot be regenerated."
        ) from None
    packed = connection.get(keys.source(parent_id))
    if packed is None:
        raise _fail(job, "The exam's source text is no longer stored (it expired with the exam); upload the PDF again.")
    assert isinstance(packed, bytes), "RQ's connection never decodes replies"
    pages = json.loads(zlib.decompress(packed))
    try:
        latest = revisions.revision(connection, parent).exam
        if not any(q.id == question_id for q in latest.questions):
            raise _fail(job, f"Question {question_id} was removed from the exam before it could be regenerated.")
        question = new_question(
            pages, latest, question_id, kind=request.get("type"), attempt=int(request.get("attempt") or 0)
        )
        record = revisions.replace_question(
            connection, parent, Caller(str(request["author"]), False), question_id, question, by_job=job.id
        )
    except (NoNewQuestion, PdfProblem, ValueError) as problem:
        raise _fail(job, str(problem)) from None
    except HTTPException as refused:  # the exam expired, the question went, the revision limit
        raise _fail(job, str(refused.detail)) from None
    job.meta.update(progress=100, questions=1, revision=record.revision)
    job.save_meta()
    return {"job": parent_id, "question": question_id, "revision": record.revision, "type": question.type}


def pack_pages(pages: list[str]) -> bytes:
    # Bounded by the generator's MAX_DOCUMENT_CHARS (pages past it are read as ""); text shrinks
    # three- to fourfold, so even the largest text stays a small fraction of a maximal upload.
    return zlib.compress(json.dumps(pages, ensure_ascii=False).encode(), 6)


# A store that blinks (a restart, a failover) gets a few seconds before the job gives up.
STORE_TRIES = 3
STORE_PAUSE_S = 2.0


def _read_upload(job: Job, store: storage.BlobStore) -> bytes:
    wanted = str(job.meta.get("storage") or store.kind)
    if wanted != store.kind:
        raise _fail(
            job,
            f"The upload was stored in the {wanted} store, but this worker uses the {store.kind} store: "
            "give every web and worker process the same EXAMGEN_STORAGE_URL, then upload again.",
        )
    for attempt in range(STORE_TRIES):
        try:
            data = store.get(job.id)
            break
        except storage.StoreUnavailable as exc:
            if attempt + 1 == STORE_TRIES:
                raise _fail(
                    job,
                    f"The upload store could not be reached when the job started ({exc}); the job did not run. "
                    "Upload the file again (or re-run the job from the dashboard) once the store is back.",
                ) from None
            time.sleep(STORE_PAUSE_S)
    if data is None:
        raise _fail(job, "The uploaded file is no longer stored (it expired before a worker was free); upload again.")
    return data


def _fail(job: Job, sentence: str) -> JobProblem:
    job.meta["error"] = sentence
    job.save_meta()
    return JobProblem(sentence)
