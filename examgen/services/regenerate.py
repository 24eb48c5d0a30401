"""Regenerating one question of a finished exam: a small job on the same queue as exams.

It is enqueued for the exam's owner through the same script as a submission
(examgen.core.submission, lua.SUBMIT), so the owner's quota, fair share, running limit and
the deployment-wide cap all apply to it; the worker runs examgen.worker.task.regenerate_question,
which appends the new question as a revision (revisions.replace_question). Refusals are Litestar
HTTP exceptions, as in examgen.services.jobs.
"""

from __future__ import annotations

from litestar.exceptions import HTTPException, NotFoundException
from redis import Redis
from rq.job import Job

from examgen.core import keys
from examgen.core.jobstates import REGENERATE_QUESTION, is_exam_job
from examgen.core.settings import get_settings
from examgen.core.submission import OverQuota
from examgen.core.submission import submit as write
from examgen.generator import QUESTION_TYPES, Question
from examgen.services import jobview, revisions
from examgen.services import status as queue_status
from examgen.services.jobs import over_quota, owned_job
from examgen.services.jobview import JobView
from examgen.services.tokens import Caller


class NoSource(HTTPException):
    status_code = 409


def wanted_type(question: Question, kind: object) -> str:
    """The type asked for (default: the question's own), or 422."""
    if kind is None or kind == "":
        return question.type
    if kind not in QUESTION_TYPES:
        raise revisions.InvalidEdit(f"`type` must be one of {', '.join(QUESTION_TYPES)}.")
    return str(kind)


def request(redis: Redis, caller: Caller, job: Job, question_id: str, kind: object = None) -> JobView:
    """Enqueue the regeneration of `question_id`: the small job's view (202). 404 for a job with no
    exam or an unknown question, 409 until the exam is finished or when its text was never kept
    (jobs generated before this release), 422 for an unknown type, 429 over the owner's quota."""
    if not is_exam_job(job.func_name):
        raise NotFoundException("This job makes no exam (it regenerates a question of one).")
    latest = revisions.revision(redis, job).exam
    question = next((q for q in latest.questions if q.id == question_id), None)
    if question is None:
        raise NotFoundException(f"This exam has no question {question_id[: revisions.MAX_ID_CHARS]}.")
    kind = wanted_type(question, kind)
    if not redis.exists(keys.source(job.id)):
        raise NoSource(
            "Regenerating a question needs a job generated after this release (its source text is kept with "
            "the exam); this exam is older. Upload the PDF again to get an exam whose questions can be regenerated."
        )
    settings = get_settings().queue
    owner = str((job.meta or {}).get("owner") or caller.name)
    with redis.pipeline(transaction=True) as pipe:
        pipe.hincrby(keys.regenerations(job.id), question_id, 1)
        pipe.expire(keys.regenerations(job.id), settings.result_ttl_s)
        attempt = int(pipe.execute()[0])
    work = {"job": job.id, "question": question_id, "type": kind, "attempt": attempt, "author": caller.name}
    meta = {
        "owner": owner,
        "filename": str((job.meta or {}).get("filename") or "exam"),
        "progress": 0,
        "regenerates": {"job": job.id, "question": question_id},
    }
    reading = queue_status.for_estimate(redis)
    try:
        done = write(
            redis, REGENERATE_QUESTION, args=(work,), meta=meta, owner=owner, quota=settings.max_queued_per_token
        )
    except OverQuota:
        raise over_quota(settings.max_queued_per_token) from None
    return jobview.view(done.job, done.place, queue_status.at_submission(reading, done.running_elapsed_s))


def regeneration(redis: Redis, caller: Caller, exam_job: Job, job_id: str) -> Job:
    """A regeneration job of this exam that the caller may see; 404 otherwise."""
    small = owned_job(redis, caller, job_id)
    if (small.meta or {}).get("regenerates", {}).get("job") != exam_job.id:
        raise NotFoundException("No such regeneration of this exam.")
    return small
