"""EXAMGEN_STORAGE_URL=redis: the upload in Redis beside its job (one host, `make run`)."""

from __future__ import annotations

from redis import Redis

from examgen.core import keys
from examgen.core.settings import get_settings
from examgen.core.storage import BlobStore, check_name


class RedisStore(BlobStore):
    kind = "redis"
    external = False

    def __init__(self, connection: Redis) -> None:
        self.connection = connection

    def put(self, job_id: str, data: bytes) -> None:
        # The enqueue writes it inside its MULTI instead (examgen.core.enqueue); this is for callers
        # that store outside of an enqueue.
        self.connection.set(keys.upload(check_name(job_id)), data, ex=get_settings().queue.result_ttl_s)

    def get(self, job_id: str) -> bytes | None:
        data = self.connection.get(keys.upload(check_name(job_id)))
        return data if isinstance(data, bytes) else None

    def delete(self, job_id: str) -> None:
        self.connection.delete(keys.upload(check_name(job_id)))

    def exists(self, job_id: str) -> bool:
        return bool(self.connection.exists(keys.upload(check_name(job_id))))

    def older_than(self, age_s: float, limit: int) -> list[str]:
        # Written in the job's own MULTI and expiring with it: nothing can be orphaned.
        return []
