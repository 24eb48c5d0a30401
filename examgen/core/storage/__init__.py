"""Where an upload waits for its job: one blob store, chosen by EXAMGEN_STORAGE_URL.

- `redis`: the bytes in `examgen:upload:<id>`, written in the enqueue's own MULTI (the default).
- `file:///DIR`: one file per upload under DIR/uploads, written atomically.
- `s3://BUCKET/PREFIX`: one object per upload under PREFIX/uploads/, any S3-compatible store.

With an external store Redis holds only the job, whose id names the blob (and whose meta names
the store's kind): the upload is written before the job is enqueued and deleted when it ends, and
`sweep` deletes what an enqueue that failed or a job that vanished left behind.

Exams stay in Redis (`examgen:exam:<id>`): a few KB each, bounded by the generator, expiring with
their job by Redis' own TTL and read on every download; a blob store would add a round trip per
download and a second clean-up for no memory worth saving.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from abc import ABC, abstractmethod

from redis import Redis

from examgen.core.settings import get_settings

log = logging.getLogger("examgen.storage")

# Job ids are uuid4 strings (RQ's rule allows these characters): nothing else may name a blob,
# so no name can climb out of the store's directory or prefix.
NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


class StoreUnavailable(Exception):
    """The store did not answer or refused; `str()` is a sentence for a person (no secrets)."""


def check_name(job_id: str) -> str:
    if not NAME.fullmatch(job_id):
        raise ValueError(f"not a job id: {job_id!r}")
    return job_id


class BlobStore(ABC):
    kind: str
    external: bool = True
    """False only for the Redis store, whose write belongs inside the submission's own script."""

    @abstractmethod
    def put(self, job_id: str, data: bytes) -> None: ...

    @abstractmethod
    def get(self, job_id: str) -> bytes | None:
        """The upload, or None when it is not stored; StoreUnavailable when the store fails."""

    @abstractmethod
    def delete(self, job_id: str) -> None: ...

    def exists(self, job_id: str) -> bool:
        return self.get(job_id) is not None

    @abstractmethod
    def older_than(self, age_s: float, limit: int) -> list[str]:
        """At most `limit` job ids whose upload was written more than `age_s` ago.

        Successive calls walk on through the store from where the last one stopped, so a sweeper
        that takes a bounded bite each round still reaches every blob.
        """


_lock = threading.Lock()
_external: dict[tuple[int, str], BlobStore] = {}


def _open(url: str) -> BlobStore:
    if url.startswith("file://"):
        from examgen.core.storage.files import FileStore

        return FileStore(url.removeprefix("file://"))
    from examgen.core.storage.s3 import S3Store

    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    return S3Store(bucket, prefix.strip("/"), get_settings().storage.aws_region)


def store_for(connection: Redis) -> BlobStore:
    """The configured store. External stores are made once per process: a client made before a
    fork would share its sockets with the child (RQ forks a work-horse per job)."""
    url = get_settings().storage.url
    if url == "redis":
        from examgen.core.storage.inredis import RedisStore

        return RedisStore(connection)
    key = (os.getpid(), url)
    with _lock:
        if key not in _external:
            _external[key] = _open(url)
        return _external[key]


def discard(connection: Redis, job_id: str) -> None:
    """Delete a job's upload once it cannot run again. An external store that fails here only
    delays the deletion: the sweeper finds the blob of an ended job later."""
    store = store_for(connection)
    if not store.external:
        store.delete(job_id)  # a Redis failure is the caller's, as for every other Redis write
        return
    try:
        store.delete(job_id)
    except StoreUnavailable as exc:
        log.warning("could not delete the upload of job %s (%s); the sweeper will", job_id, exc)


def reset() -> None:
    """Forget the stores made so far (after the settings or the AWS variables changed: tests)."""
    with _lock:
        _external.clear()
