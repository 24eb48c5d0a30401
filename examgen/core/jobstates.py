"""RQ job statuses grouped by what they mean to examgen."""

from __future__ import annotations

from rq.job import JobStatus

# A job in one of these will not run again: its slot, upload and quota place can be let go.
ENDED = frozenset({JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELED, JobStatus.STOPPED})

# The job function, by the import path RQ stores in each job.
MAKE_EXAM = "examgen.worker.task.make_exam"
# The small job that makes one new question of a finished exam (POST .../regenerate): it goes
# through the same queue, cap and quota as an exam, but has no upload and is never re-run.
REGENERATE_QUESTION = "examgen.worker.task.regenerate_question"
# Jobs enqueued before the code became one `examgen` package name the old path; a worker runs
# them under the new one, so an upgrade need not drain the queue first.
LEGACY_FUNCS = {"worker.task.make_exam": MAKE_EXAM}


def is_exam_job(func_name: str | None) -> bool:
    return func_name == MAKE_EXAM or LEGACY_FUNCS.get(func_name or "") == MAKE_EXAM
