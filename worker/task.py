"""The job function: the stored PDF in, the exam out. Runs inside a work-horse process."""

from __future__ import annotations

import json
from typing import Any

from rq import get_current_job
from rq.job import Job

from examgen.core import keys
from examgen.core.settings import get_settings
from examgen.generator import ExamOptions, LlmBackend, PdfProblem, generate_exam


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
    data = connection.get(keys.upload(job.id))
    if not isinstance(data, bytes):
        raise _fail(job, "The uploaded file is no longer stored (it expired before a worker was free); upload again.")
    try:
        exam = generate_exam(
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
        pipe.set(keys.exam(job.id), json.dumps(exam, ensure_ascii=False), ex=settings.queue.result_ttl_s)
        pipe.delete(keys.upload(job.id))
        pipe.execute()
    job.meta.update(progress=100, pages=exam["source"]["pages"], questions=len(exam["questions"]))
    job.save_meta()
    return {"questions": len(exam["questions"]), "pages": exam["source"]["pages"]}


def _fail(job: Job, sentence: str) -> JobProblem:
    job.meta["error"] = sentence
    job.save_meta()
    return JobProblem(sentence)
