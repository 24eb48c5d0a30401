"""The sentence a person reads when a job fails: what happened and what to do about it.

A failed job's `error` is never a traceback. The job function stores its own sentence for
problems of the file (examgen.generator.PdfProblem); everything else is explained here.
"""

from __future__ import annotations

from types import TracebackType

from rq.job import Job
from rq.timeouts import JobTimeoutException

INTERNAL_ERROR = (
    "The job failed because of an internal error on the worker (it has been logged); "
    "try again, and tell the operator if it happens again."
)


def timeout_sentence(limit_s: float | None) -> str:
    limit = f"{limit_s:g} s" if limit_s is not None else "the time"
    return (
        f"The job took longer than the limit of {limit} and was stopped; try a shorter PDF, "
        "or ask the operator to raise EXAMGEN_JOB_TIMEOUT."
    )


def abandoned_sentence(attempts: int) -> str:
    return (
        f"The worker running this job stopped unexpectedly {attempts} times "
        "(crash, out of memory or lost host); the file may be too demanding. Try a smaller PDF."
    )


def explain_failure(
    job: Job, exc_type: type[BaseException], exc_value: BaseException, traceback: TracebackType | None
) -> bool:
    """An RQ exception handler (runs in the work-horse): give the failure a sentence."""
    if not job.meta.get("error"):
        if issubclass(exc_type, JobTimeoutException):
            job.meta["error"] = timeout_sentence(job.timeout)
        else:
            job.meta["error"] = INTERNAL_ERROR
        job.save_meta()
    return True  # RQ's own handling (failed registry, result) goes on
