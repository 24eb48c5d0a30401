"""The RQ worker that runs examgen jobs under the deployment-wide cap.

Four changes to RQ's forking worker, each where RQ leaves a seam:
- it dequeues by claiming a slot and a job together (``worker.slots.claim``), so the cap holds
  across every process on every host and owners take turns (FIFO within each owner);
- the work-horse dies with its worker and renews its own lease (``worker.lifeline``); the worker
  kills a horse whose claim is gone (a stopped horse woken up late must not run beside its successor);
- a horse that dies without a result (SIGKILL, OOM) puts its job back instead of failing it;
- SIGTERM lets the running job finish for a grace period, then hands it back to the queue.
"""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Queue, Worker, worker_registration
from rq.exceptions import NoSuchJobError
from rq.executions import Execution
from rq.job import Job, JobStatus
from rq.registry import CanceledJobRegistry, ReadyJobRegistry
from rq.utils import now as utcnow
from rq.worker import WorkerStatus

from examgen.core import deliveries, failures, keys, slots, storage
from examgen.core.connection import connect
from examgen.core.jobstates import ENDED, LEGACY_FUNCS
from examgen.core.log import queue_line
from examgen.core.settings import get_settings
from examgen.worker import lifeline, recovery

# How often a busy worker looks at its horse: bounds how late a grace period is noticed.
MONITOR_INTERVAL_S = 2
# The thread that listens for RQ's commands (stop a job, shut down) wakes at least this often.
# RQ asks for 60 s and relies on its own UNSUBSCRIBE's reply to wake the thread, but that reply can
# arrive before the thread is told to stop; it then waits out the 60 s, and redis-py 8.2's
# PubSubWorkerThread.stop() joins it without a limit, so every worker's exit took a minute.
PUBSUB_WAKE_S = 1.0
# An idle worker retries a claim at least this often even if no wake-up arrives.
IDLE_POLL_S = 1


class ExamWorker(Worker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("job_monitoring_interval", MONITOR_INTERVAL_S)
        super().__init__(*args, **kwargs)
        settings = get_settings().queue
        self.cap = settings.max_concurrent_jobs
        self.lease_ttl_s = settings.lease_ttl_s
        self.max_per_owner = settings.max_running_per_token
        self.grace_s = settings.shutdown_grace_s
        self._stop_deadline: float | None = None
        self._lost_job_id: str | None = None
        self._handback_job_id: str | None = None
        self._released_job_id: str | None = None
        # The running job's claim: its fencing token, and when the claim was sent (monotonic).
        self._token = ""
        self._claimed_at = 0.0
        # Claims, releases and hand-backs must run at most once: a re-sent call whose first reply
        # was lost could pop a second job or free nothing. This client never re-sends; a lost
        # reply leaves a lease that expires, and the reaper settles the job by its status.
        self.once = connect(retries=0)
        self.push_exc_handler(failures.explain_failure)  # type: ignore[no-untyped-call]

    # -- shutdown -------------------------------------------------------------------------
    def _install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self._on_stop_signal)
        # Ctrl-C reaches the whole process group; the pool turns it into one SIGTERM each.
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    def _on_stop_signal(self, signum: int, frame: FrameType | None) -> None:
        if self._stop_requested:
            # One stop often arrives twice (from the pool and from systemd or a PaaS to the whole
            # group); only a later, deliberate second request hands the job back at once.
            if self._stop_deadline is not None and time.monotonic() > self._stop_deadline - self.grace_s + 2:
                self._stop_deadline = 0.0
            return
        self.log.info("Worker %s: stopping; a running job may finish for %d s", self.name, self.grace_s)
        self._stop_requested = True
        self._stop_deadline = time.monotonic() + self.grace_s
        self._shutdown_requested_date = None

    def subscribe(self) -> None:
        """RQ's own subscription, with a listener thread that notices a stop within PUBSUB_WAKE_S."""
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        # RQ declares the attribute as None, untyped.
        self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]
            sleep_time=PUBSUB_WAKE_S, daemon=True, exception_handler=self._pubsub_exception_handler
        )

    def maintain_heartbeats(self, job: Job, execution: Execution) -> None:
        super().maintain_heartbeats(job, execution)
        if self._lost_claim(job):
            self.log.error("Worker %s: job %s's claim is gone; stopping its work-horse", self.name, job.id)
            self.kill_horse()
            return
        deadline = self._stop_deadline
        if deadline is not None and time.monotonic() >= deadline and self._handback_job_id != job.id:
            self.log.warning("Worker %s: grace period over, handing job %s back", self.name, job.id)
            self._handback_job_id = job.id
            self.kill_horse()

    # -- dequeue: a slot and a job together --------------------------------------------------
    def dequeue_job_and_maintain_ttl(
        self, timeout: int | None, max_idle_time: int | None = None
    ) -> tuple[Job, Queue] | None:
        queue = self.queues[0]
        burst = timeout is None
        self.set_state(WorkerStatus.IDLE)
        self.procline(f"Waiting for a slot on {queue.name}")  # type: ignore[no-untyped-call]
        idle_since = time.monotonic()
        backoff_s = 1.0
        # RQ's work loop has just sent a heartbeat and checked for `rq suspend`: the first claim
        # goes straight out, saving two round trips per job; a waiting worker repeats both.
        waited = False
        while not self._stop_requested:
            try:
                if self.should_run_maintenance_tasks:
                    self.run_maintenance_tasks()  # type: ignore[no-untyped-call]
                if waited:
                    self.heartbeat()
                    self.check_for_suspension(burst)
                waited = True
                sent = time.monotonic()
                got = slots.claim(self.once, queue.key, self.cap, self.lease_ttl_s, self.max_per_owner)
                if got.job_id is not None:
                    self._token, self._claimed_at = got.token, sent
                    job = self._fetch_claimed(got.job_id, queue)
                    if job is None:
                        continue
                    queue_line("started", job.id, got.levels.queued, got.levels.running, self.cap)
                    return job, queue
                if burst and got.levels.queued == 0:
                    return None
                if max_idle_time is not None and time.monotonic() - idle_since > max_idle_time:
                    return None
                self.connection.blpop([keys.wakeup], timeout=IDLE_POLL_S)
                backoff_s = 1.0
            except (RedisConnectionError, RedisTimeoutError) as exc:
                self.log.error("Worker %s: Redis unreachable (%s); retrying in %.0f s", self.name, exc, backoff_s)
                time.sleep(backoff_s)
                backoff_s = min(backoff_s * 2, 30.0)
        return None

    def _fetch_claimed(self, job_id: str, queue: Queue) -> Job | None:
        try:
            job = Job.fetch(job_id, connection=self.connection, serializer=self.serializer)
        except NoSuchJobError:
            job = None
        if job is None or job.get_status(refresh=False) in ENDED:
            # Deleted or canceled while it waited: give the slot straight back.
            slots.release(self.once, job_id, queue.key, self._token)
            return None
        if job.func_name in LEGACY_FUNCS:
            job.func_name = LEGACY_FUNCS[job.func_name]
        return job

    def _lost_claim(self, job: Job) -> bool:
        try:
            return not slots.holds(self.connection, job.id, self._token)
        except RedisError:
            return False  # the horse's own watchdog stops it before the lease can expire unseen

    def clean_registries(self) -> None:
        """RQ's maintenance, minus its abandoned-job cleanup of the started registry.

        That cleanup fails a job whose worker stopped heartbeating, racing examgen's reaper, which
        runs the job again (worker.recovery): recovery has one owner, and it is the reaper.
        """
        for queue in self.queues:
            if queue.acquire_maintenance_lock():
                for registry in (
                    queue.finished_job_registry,
                    queue.failed_job_registry,
                    queue.deferred_job_registry,
                    ReadyJobRegistry(queue.name, queue.connection, serializer=queue.serializer),
                ):
                    registry.cleanup()
                worker_registration.clean_worker_registry(queue)
                queue.intermediate_queue.cleanup(self, queue)
                queue.release_maintenance_lock()
        self.last_cleaned_at = utcnow()  # type: ignore[assignment]

    # -- the run and its end ------------------------------------------------------------------
    def main_work_horse(self, job: Job, queue: Queue) -> None:
        lifeline.die_with_parent()
        lifeline.LeaseKeeper(job.id, self._token, self.lease_ttl_s, self._claimed_at).start()
        super().main_work_horse(job, queue)

    def setup_work_horse_signals(self) -> None:
        # Only the worker decides when a job stops (grace period, cancel): a PaaS or systemd
        # SIGTERM to every process must not cut a job short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)

    def execute_job(self, job: Job, queue: Queue) -> None:
        self._lost_job_id = None
        try:
            super().execute_job(job, queue)
        finally:
            if self._released_job_id != job.id:
                try:
                    self._release(job, queue)
                except RedisError as exc:
                    # Not re-sent (it may have run): the lease then expires and the reaper settles
                    # the job by the status RQ recorded, counting its end once.
                    self.log.error("Worker %s: could not release job %s (%s)", self.name, job.id, exc)
            self._released_job_id = None

    def _release(self, job: Job, queue: Queue) -> slots.Release:
        self._released_job_id = job.id
        end = slots.release(self.once, job.id, queue.key, self._token)
        if end.held:
            if end.status in ENDED:
                storage.discard(self.connection, job.id)
            seconds = end.duration_ms / 1000 if end.duration_ms is not None else None
            event = end.status if end.status in ENDED else "released"
            queue_line(event, job.id, end.levels.queued, end.levels.running, self.cap, seconds=seconds)
        if end.status in ENDED:
            deliveries.job_ended(self.connection, job.id)
        return end

    def handle_work_horse_killed(self, job: Job, retpid: int, ret_val: int, rusage: Any) -> None:
        self._lost_job_id = job.id
        super().handle_work_horse_killed(job, retpid, ret_val, rusage)  # type: ignore[no-untyped-call]

    def handle_job_failure(
        self,
        job: Job,
        queue: Queue,
        started_job_registry: Any = None,
        exc_string: str = "",
        execution: Execution | None = None,
    ) -> None:
        if not self.is_horse and self._stopped_job_id == job.id:
            self._stopped_job_id = None
            self._cancel_running(job, queue, execution)
            return
        if not self.is_horse and self._lost_job_id == job.id:
            self._lost_job_id = None
            handed_back = self._handback_job_id == job.id
            self._handback_job_id = None
            if execution is not None:
                with self.connection.pipeline() as pipe:
                    self.cleanup_execution(job, pipeline=pipe, execution=execution)
                    pipe.execute()
            # The lease goes first (the job parked for recovery): once requeued, the job may be
            # claimed again at once. Through the client that never re-sends: a lost reply leaves
            # the job parked for the reaper, never handed back twice.
            self._released_job_id = job.id
            parked = slots.hand_back(self.once, job.id, self._token)
            if parked is None:
                return  # the reaper already took this job over
            outcome = recovery.give_back(self.once, job, queue, parked, counts_as_attempt=not handed_back)
            self.log.warning("Worker %s: job %s lost its work-horse; %s", self.name, job.id, outcome)
            return
        super().handle_job_failure(job, queue, started_job_registry, exc_string, execution)

    def _cancel_running(self, job: Job, queue: Queue, execution: Execution | None) -> None:
        with self.connection.pipeline(transaction=True) as pipe:
            job.set_status(JobStatus.CANCELED, pipeline=pipe)
            self.cleanup_execution(job, pipeline=pipe, execution=execution)
            CanceledJobRegistry(job.origin, self.connection, serializer=self.serializer).add(job, pipeline=pipe)
            pipe.execute()
        self.log.info("Worker %s: job %s canceled while running", self.name, job.id)
