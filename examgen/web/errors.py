"""One JSON error shape for every failure: {"status_code", "detail"}; nothing internal leaks."""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from redis.exceptions import OutOfMemoryError, RedisError, ResponseError

log = logging.getLogger("examgen.api")

REDIS_RETRY_AFTER_S = 5


def error_response(status_code: int, detail: str, headers: dict[str, str] | None = None) -> Response[object]:
    return Response(
        {"status_code": status_code, "detail": detail},
        status_code=status_code,
        media_type=MediaType.JSON,
        headers=headers,
    )


def on_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[object]:
    detail = exc.detail
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list) and exc.extra:
        # Litestar lists each bad parameter; name them in the sentence instead of a nested object.
        parts = [f"{e.get('key', '?')}: {e.get('message', 'invalid')}" for e in exc.extra if isinstance(e, dict)]
        detail = f"{detail.rstrip('.')}: {'; '.join(parts)}" if parts else detail
    return error_response(exc.status_code, detail, exc.headers)


def on_redis_error(request: Request[Any, Any, Any], exc: RedisError) -> Response[object]:
    # Inside MULTI an OOM may surface as EXECABORT naming the OOM, so look at the text too.
    if isinstance(exc, OutOfMemoryError) or (isinstance(exc, ResponseError) and "OOM" in str(exc)):
        log.error("Redis is out of memory (maxmemory reached)")
        return error_response(
            503, "Storage full: the service cannot accept uploads right now; try again later.", {"Retry-After": "60"}
        )
    log.error("Redis unavailable: %s", exc.__class__.__name__)
    return error_response(
        503,
        "The service's storage (Redis) is unavailable; try again shortly.",
        {"Retry-After": str(REDIS_RETRY_AFTER_S)},
    )


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[object]:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "Internal server error; it has been logged.")


EXCEPTION_HANDLERS = {
    HTTPException: on_http_exception,
    RedisError: on_redis_error,
    Exception: on_unexpected,
}
