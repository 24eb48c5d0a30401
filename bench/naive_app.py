"""The baseline of the submission figure: the plainest Litestar endpoint that does a submission's work.

It reads the same multipart upload the same way as POST /generate, stores the bytes in Redis and
calls RQ's `Queue.enqueue`: no token, no quota, no indexes, no statistics, no fair-share
bookkeeping, nothing atomic. Served by uvicorn with the settings of `examgen web` (one process, the
same httptools protocol, proxy headers, no access log), so the ratio isolates what examgen adds.

`python -m bench.naive_app` on $PORT of 127.0.0.1, against $REDIS_URL.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import anyio
import uvicorn
from litestar import Litestar, Request, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import ClientException
from redis import Redis
from rq import Queue

from bench.jobs import noop
from examgen.api.serverproto import DEFAULT_PROTOCOL, PROTOCOLS
from examgen.core import keys

QUEUE_NAME = "bench-naive"
# The same read limit POST /generate uses by default (EXAMGEN_MAX_UPLOAD_MB=20), plus one byte.
READ_LIMIT = 20 * 1024 * 1024 + 1
UPLOAD_TTL_S = 3600


def create_app() -> Litestar:
    redis = Redis.from_url(os.environ["REDIS_URL"])
    queue = Queue(QUEUE_NAME, connection=redis)

    def store_and_enqueue(data: bytes) -> str:
        upload_id = str(uuid.uuid4())
        redis.set(keys.upload(upload_id), data, ex=UPLOAD_TTL_S)
        return queue.enqueue(noop, upload_id).id

    @post("/generate", status_code=202)
    async def generate(request: Request[Any, Any, Any]) -> dict[str, str]:
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ClientException("Send the PDF as the multipart/form-data field `file`.")
        data = await upload.read(READ_LIMIT)
        # A sync Redis client off the event loop, as examgen's submit runs.
        job_id = await anyio.to_thread.run_sync(store_and_enqueue, data)
        return {"job_id": job_id}

    @get("/healthz")
    async def healthz() -> str:
        return "ok"

    return Litestar([generate, healthz], on_shutdown=[redis.close])


def main() -> None:
    uvicorn.run(
        "bench.naive_app:create_app",
        factory=True,
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        workers=1,
        http=PROTOCOLS[DEFAULT_PROTOCOL],
        proxy_headers=True,
        forwarded_allow_ips="*",
        log_level="warning",
        log_config=None,
    )


if __name__ == "__main__":
    main()
