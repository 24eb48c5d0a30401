"""create_app(): the Litestar application, short and explicit: the API's routes and the dashboard's.

The one module that knows both: the API and the dashboard never import each other (the dashboard's
HTML for GET /queue/status reaches the API through the app state, examgen.web.fragments).
"""

from __future__ import annotations

import contextlib

from litestar import Litestar
from litestar.config.response_cache import ResponseCacheConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import RedisError

from examgen import __version__
from examgen.api.events import job_events
from examgen.api.health import healthz, readyz
from examgen.api.httpstats import RequestCounter
from examgen.api.jobs import JobController
from examgen.api.metrics import metrics
from examgen.api.queue_status import queue_status, reset_stats
from examgen.api.review import ReviewController
from examgen.core.connection import connect, connect_async
from examgen.core.enqueue import queue_for
from examgen.core.log import setup_logging
from examgen.core.settings import get_settings
from examgen.dashboard.fragments import STATUS_FRAGMENTS
from examgen.dashboard.web import TEMPLATES
from examgen.dashboard.web import route_handlers as dashboard_routes
from examgen.web.auth import resolve_caller_async
from examgen.web.errors import EXCEPTION_HANDLERS
from examgen.web.forms import MAX_FORM_PARTS, ExamgenRequest
from examgen.web.fragments import STATE_KEY

# Multipart framing around the file: the body may exceed the file limit by this much.
MULTIPART_SLACK_BYTES = 64 * 1024


def provide_redis(state: State) -> Redis:
    redis: Redis = state.redis
    return redis


def provide_async_redis(state: State) -> AsyncRedis:
    aredis: AsyncRedis = state.aredis
    return aredis


async def open_async_redis(app: Litestar) -> None:
    # Made on the server's own event loop: an asyncio client's connections belong to one loop.
    app.state.aredis = connect_async()


def learn_redis_version(app: Litestar) -> None:
    # RQ asks the server's version (INFO) once per client, at its first enqueue: asked here, the
    # first submission does not block the event loop on it. Redis down at start is no error.
    with contextlib.suppress(RedisError):
        queue_for(app.state.redis).get_redis_server_version()


async def close_async_redis(app: Litestar) -> None:
    await app.state.aredis.aclose()


def create_app(redis: Redis | None = None) -> Litestar:
    settings = get_settings()
    setup_logging()
    connection = redis or connect()
    request_counter = RequestCounter(connection)

    def close_redis() -> None:
        if redis is None:
            connection.close()

    return Litestar(
        route_handlers=[
            JobController,
            ReviewController,
            job_events,
            queue_status,
            reset_stats,
            healthz,
            readyz,
            metrics,
            *dashboard_routes(),
        ],
        dependencies={
            "redis": Provide(provide_redis, sync_to_thread=False),
            "aredis": Provide(provide_async_redis, sync_to_thread=False),
            "caller": Provide(resolve_caller_async),
        },
        state=State({"redis": connection, STATE_KEY: STATUS_FRAGMENTS}),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        template_config=TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine),
        request_max_body_size=settings.upload.max_upload_bytes + MULTIPART_SLACK_BYTES,
        request_class=ExamgenRequest,
        multipart_form_part_limit=MAX_FORM_PARTS,
        openapi_config=OpenAPIConfig(
            title="examgen",
            version=__version__,
            description="Turns course-material PDFs into exams. Bearer tokens: `examgen token create NAME`.",
            components=Components(
                security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")},
            ),
            security=[{"bearer": []}],
        ),
        response_cache_config=ResponseCacheConfig(),
        # Logging is examgen's (examgen/core/log.py: text or JSON lines); Litestar's default config would
        # replace the root handler with its own plain-text format.
        logging_config=None,
        before_send=[request_counter.before_send],
        on_startup=[open_async_redis, learn_redis_version, request_counter.start],
        on_shutdown=[request_counter.stop, close_redis, close_async_redis],
    )
