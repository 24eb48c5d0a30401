"""Every Redis key examgen owns, and every lifetime, in one place.

RQ names its own keys (``rq:queue:examgen``, ``rq:job:<id>``, registries); those are reached only
through RQ's API. Everything else lives under one prefix so an operator can tell examgen's data
from other tenants of the same Redis and ``SCAN examgen:*`` finds all of it.
"""

from __future__ import annotations

from rq.queue import Queue as _RQQueue

PREFIX = "examgen"
QUEUE_NAME = "examgen"
# RQ's list of waiting job ids for our queue (RQ builds it the same way).
queue = _RQQueue.redis_queue_namespace_prefix + QUEUE_NAME

# Slots: one sorted-set member per running job, scored by the lease's expiry (ms since epoch).
leases = f"{PREFIX}:slots:leases"
# When each running job's lease was first taken (ms): elapsed time for the wait estimate.
lease_started = f"{PREFIX}:slots:started"
# The fencing token of each running job's claim (job id -> token), and the counter that issues them:
# a holder whose token is no longer here lost its claim, even when the job's lease is live again.
lease_tokens = f"{PREFIX}:slots:tokens"
lease_fence = f"{PREFIX}:slots:fence"
# Jobs being recovered: their lease ended without a release (reaped, or handed back by a worker
# whose work-horse died). Member = job id, score = when another reaper may take the recovery over
# (ms). An entry leaves in the transaction that requeues or ends its job, so a recovery cut short
# (a crash, a lost reply) is taken over once `recovery_ttl_ms` has passed, never lost.
recovering = f"{PREFIX}:slots:recovering"
recovery_ttl_ms = 30_000
# The token of a job's current recovery (recovery_token_prefix + job id): a recoverer that was
# overtaken (stalled past recovery_ttl_ms) finds another token there and does nothing.
recovery_token_prefix = f"{PREFIX}:recovery:"
# Idle workers block on this list; enqueues and releases push to it so a claim is tried at once.
wakeup = f"{PREFIX}:slots:wakeup"
wakeup_max_len = 256
# The stats hash: high-water marks, totals, average job duration, when each mark was reached.
stats = f"{PREFIX}:stats"
# Job durations as a histogram: count, sum_ms and in_<bound ms> (jobs whose duration fits first under
# that bound; /metrics sums them into cumulative buckets).
durations = f"{PREFIX}:stats:durations"
duration_buckets_s = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600)
# HTTP requests of every web process: field "<METHOD> <status> <route template>" -> count.
# Each process counts in memory and adds its counts here every few seconds (api/httpstats.py).
http_requests = f"{PREFIX}:stats:http-requests"
# Per-minute history, a ring of `history_minutes` slots inside one hash (bounded memory).
history = f"{PREFIX}:stats:history"
history_minutes = 24 * 60
# Live worker pools announce themselves here (member = pool name, score = expiry in ms).
pools = f"{PREFIX}:pools"
pool_sizes = f"{PREFIX}:pool-sizes"
pool_ttl_s = 30

# API tokens: sha256 digest -> JSON record; name -> digest.
tokens_by_digest = f"{PREFIX}:tokens"
token_digest_by_name = f"{PREFIX}:token-names"
# Every job, newest last (score = created ms); admins list these.
all_jobs = f"{PREFIX}:jobs"
# Owner name -> the secret that signs its jobs' callbacks (`examgen token secret NAME`).
callback_secrets = f"{PREFIX}:callback-secrets"
# Dashboard secret, generated once when EXAMGEN_SECRET_KEY is unset.
secret_key = f"{PREFIX}:secret-key"
session_ttl_s = 12 * 3600


def owner_jobs(owner: str) -> str:
    """A token's jobs, newest last (score = created ms)."""
    return f"{PREFIX}:owner:{owner}:jobs"


def owner_open(owner: str) -> str:
    """A token's jobs that may still be unfinished (pruned lazily by the quota check)."""
    return f"{PREFIX}:owner:{owner}:open"


def upload(job_id: str) -> str:
    """The uploaded PDF bytes, deleted when the job ends."""
    return f"{PREFIX}:upload:{job_id}"


def exam(job_id: str) -> str:
    """The finished exam as JSON."""
    return f"{PREFIX}:exam:{job_id}"


def attempts(job_id: str) -> str:
    """How many times a worker died while running this job."""
    return f"{PREFIX}:attempts:{job_id}"


def recovery_token(job_id: str) -> str:
    """The token of the job's current recovery (see `recovering`)."""
    return recovery_token_prefix + job_id


def session(session_id: str) -> str:
    """A dashboard session."""
    return f"{PREFIX}:session:{session_id}"


# Fair share of the cap (examgen.core.fair). RQ's list stays the list of every waiting job (what
# `rq info` and rq-dashboard show); beside it each owner has its own FIFO list, and the owners
# with waiting jobs form a ring scored by their virtual time (a stride scheduler).
fair_ring = f"{PREFIX}:fair:ring"
# An owner's virtual time when it left the ring (no waiting job), so leaving and coming back
# never earns it an earlier turn; and the virtual time of the last claim (where newcomers start).
fair_passes = f"{PREFIX}:fair:passes"
fair_clock = f"{PREFIX}:fair:clock"
# Owner name -> weight (`examgen token create NAME --weight W`); absent means 1.
fair_weights = f"{PREFIX}:fair:weights"
# Waiting job id -> its owner's name, for every job in an owner's list.
fair_waiting_owner = f"{PREFIX}:fair:waiting-owner"
# Owner name -> jobs of that owner holding a slot (for EXAMGEN_MAX_RUNNING_PER_TOKEN and counts).
fair_running = f"{PREFIX}:fair:running"
# Leased job id -> owner, so release and reap give the owner's running count back exactly once.
lease_owner = f"{PREFIX}:slots:owners"
# The owner of jobs that name none (enqueued without a token, or found in RQ's list only):
# not a valid token name, so it never collides with one.
NO_OWNER = "-"
# Prefix and suffix of an owner's waiting list (scripts build it from the owner they pick).
fair_owner_list_prefix = f"{PREFIX}:fair:owner:"
fair_owner_list_suffix = ":waiting"
# Ends of jobs (member "<job id>:<ms>", score = ms): the recent completion rate of the deployment.
recent_ends = f"{PREFIX}:stats:ends"
recent_ends_window_s = 600
recent_ends_max = 200


def owner_waiting(owner: str) -> str:
    """An owner's waiting job ids, oldest first (the claim takes from the head)."""
    return f"{fair_owner_list_prefix}{owner}{fair_owner_list_suffix}"


# A retried POST /generate finds its first answer here for the result lifetime: JSON of the upload's
# fingerprint, the job id (null while the first request is still enqueuing) and its status code.
# The client's key is hashed, so any visible-ASCII key makes a key of fixed shape.
idempotency_pending_s = 60


def idempotency(owner: str, key_sha256: str) -> str:
    """The first answer to an `Idempotency-Key` (its SHA-256) of this owner."""
    return f"{PREFIX}:idempotency:{owner}:{key_sha256}"


def reuse(owner: str, fingerprint: str) -> str:
    """The job of this owner that was given this PDF with these options (`reuse=true`)."""
    return f"{PREFIX}:reuse:{owner}:{fingerprint}"


def revisions(job_id: str) -> str:
    """The exam's reviewed revisions 1, 2, … (a list of JSON records), expiring with the exam."""
    return f"{PREFIX}:revisions:{job_id}"


# Each revision is a whole copy of a bounded exam; the cap keeps one job's list bounded too.
max_revisions = 500


def source(job_id: str) -> str:
    """The text of each page the exam was made from (zlib-compressed JSON list), kept with the exam:
    the upload is deleted when the job ends, and regenerating a question needs the text again."""
    return f"{PREFIX}:source:{job_id}"


def regenerations(job_id: str) -> str:
    """Question id -> how many regenerations of it were asked for: each one's attempt number, so
    asking again gives another question rather than the same one."""
    return f"{PREFIX}:regenerations:{job_id}"


# Webhook deliveries (examgen.core.deliveries): one member per job submitted with a callback_url,
# from the submission's own MULTI until the delivery succeeds or is given up. Score = when a sender
# should look at it next (ms): a check of the job's status every `delivery_recheck_ms` while it
# runs (so an end that was never reported is still found), now once it ended, the next retry, or
# the end of a sender's claim (a sender that died mid-delivery leaves it due again, never lost).
deliveries = f"{PREFIX}:callbacks:due"
# The counter that issues each claim's fencing token.
delivery_fence = f"{PREFIX}:callbacks:fence"
delivery_prefix = f"{PREFIX}:callback:"
delivery_attempts_suffix = ":attempts"
delivery_recheck_ms = 60_000
# Due entries one claim looks at, at most (a bounded script however long the backlog).
delivery_scan_max = 200
# Attempts kept per job (EXAMGEN_CALLBACK_ATTEMPTS is at most this).
delivery_attempts_kept = 50


def delivery(job_id: str) -> str:
    """A job's delivery: hash of state, tries, next_ms and the current claim's token."""
    return f"{delivery_prefix}{job_id}"


def delivery_attempts(job_id: str) -> str:
    """A job's delivery attempts, oldest first (JSON records), bounded by delivery_attempts_kept."""
    return f"{delivery_prefix}{job_id}{delivery_attempts_suffix}"
