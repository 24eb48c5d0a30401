"""Every setting of DESIGN.md, read from the environment: one dataclass per section.

Each field reads its own variable when the section is built, so tests can set the environment and
call ``get_settings.cache_clear()``. Nothing else in the project reads ``os.environ`` for these.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from functools import lru_cache


class SettingsError(ValueError):
    """A variable holds a value the service cannot run with."""


def _str(name: str, default: str | None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
    return value


PDF_ENGINES = ("pypdf", "pdfium")


def _pdf_engine() -> str:
    name = "EXAMGEN_PDF_ENGINE"
    # The name spelled out in the call, as everywhere here: tests/test_ops_infra.py finds settings so.
    engine = (_str("EXAMGEN_PDF_ENGINE", "pypdf") or "pypdf").strip().lower()
    if engine not in PDF_ENGINES:
        raise SettingsError(f"{name} must be one of {', '.join(PDF_ENGINES)}, not {engine!r}")
    # Checked when the settings are built (every `examgen` command does that first), so a missing
    # optional extra stops the service at start instead of failing every job. find_spec does not
    # import the package: the web process never loads pdfium's shared library.
    if engine == "pdfium" and importlib.util.find_spec("pypdfium2") is None:
        raise SettingsError(f"{name}=pdfium needs pypdfium2: pip install 'examgen[pdfium]'")
    return engine


@dataclass(frozen=True)
class RedisSettings:
    url: str = field(default_factory=lambda: _str("REDIS_URL", "redis://localhost:6379/0") or "")
    """REDIS_URL: the one Redis (redis://, rediss:// or unix://)."""
    socket_timeout_s: float = 5.0
    """Network calls give up after this long, so a dead Redis answers 503 instead of hanging."""
    tls_verify: bool = field(default_factory=lambda: _str("EXAMGEN_REDIS_TLS_VERIFY", "true") != "false")
    """EXAMGEN_REDIS_TLS_VERIFY: `false` accepts a rediss:// server's self-signed certificate (Heroku Redis)."""
    wait_s: int = field(default_factory=lambda: _int("EXAMGEN_REDIS_WAIT_S", 60, 1, 86_400))
    """EXAMGEN_REDIS_WAIT_S: a worker pool waits this long for Redis at start (5x that once running), then exits 1."""


@dataclass(frozen=True)
class QueueSettings:
    max_concurrent_jobs: int = field(default_factory=lambda: _int("MAX_CONCURRENT_JOBS", 5, 1, 10_000))
    """MAX_CONCURRENT_JOBS: most jobs executing at once across every worker on every host."""
    job_timeout_s: int = field(default_factory=lambda: _int("EXAMGEN_JOB_TIMEOUT", 600, 1, 86_400))
    """EXAMGEN_JOB_TIMEOUT: seconds before a running job is stopped and failed."""
    result_ttl_days: int = field(default_factory=lambda: _int("EXAMGEN_RESULT_TTL_DAYS", 7, 1, 3650))
    """EXAMGEN_RESULT_TTL_DAYS: how long jobs, results and uploads are kept."""
    max_queued_per_token: int = field(default_factory=lambda: _int("EXAMGEN_MAX_QUEUED_PER_TOKEN", 50, 1, 1_000_000))
    """EXAMGEN_MAX_QUEUED_PER_TOKEN: unfinished jobs one token may have before it gets 429."""
    lease_ttl_s: int = field(default_factory=lambda: _int("EXAMGEN_LEASE_TTL", 30, 3, 600))
    """EXAMGEN_LEASE_TTL: a slot whose holder stops renewing it is free again after this long."""
    max_attempts: int = field(default_factory=lambda: _int("EXAMGEN_MAX_ATTEMPTS", 3, 1, 100))
    """EXAMGEN_MAX_ATTEMPTS: runs of one job whose worker died before it fails for good."""
    shutdown_grace_s: int = field(default_factory=lambda: _int("EXAMGEN_SHUTDOWN_GRACE", 25, 0, 3600))
    """EXAMGEN_SHUTDOWN_GRACE: on SIGTERM a running job may finish for this long, then goes back."""

    @property
    def result_ttl_s(self) -> int:
        return self.result_ttl_days * 86_400


@dataclass(frozen=True)
class UploadSettings:
    max_upload_mb: int = field(default_factory=lambda: _int("EXAMGEN_MAX_UPLOAD_MB", 20, 1, 1024))
    """EXAMGEN_MAX_UPLOAD_MB: larger uploads get 413."""
    max_pages: int = field(default_factory=lambda: _int("EXAMGEN_MAX_PAGES", 500, 1, 100_000))
    """EXAMGEN_MAX_PAGES: longer PDFs fail with a clear error."""

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


@dataclass(frozen=True)
class PdfSettings:
    engine: str = field(default_factory=_pdf_engine)
    """EXAMGEN_PDF_ENGINE: `pypdf` (default) or `pdfium` (the `pdfium` extra) for the worker's text
    extraction; the upload check always uses pypdf (docs/pdf-engines.md)."""


@dataclass(frozen=True)
class WebSettings:
    port: int = field(default_factory=lambda: _int("PORT", 8000, 1, 65_535))
    """PORT: the web port."""
    host: str = field(default_factory=lambda: _str("EXAMGEN_HOST", "0.0.0.0") or "0.0.0.0")
    """EXAMGEN_HOST: the address the web server binds."""
    web_concurrency: int = field(default_factory=lambda: _int("WEB_CONCURRENCY", 1, 1, 64))
    """WEB_CONCURRENCY: uvicorn worker processes of `examgen web`."""
    header_timeout_s: int = field(default_factory=lambda: _int("EXAMGEN_HEADER_TIMEOUT", 10, 1, 3600))
    """EXAMGEN_HEADER_TIMEOUT: seconds a connection may take to send a request's headers."""
    admin_token: str | None = field(default_factory=lambda: _str("EXAMGEN_ADMIN_TOKEN", None))
    """EXAMGEN_ADMIN_TOKEN: when set, a bearer token with admin rights."""
    secret_key: str | None = field(default_factory=lambda: _str("EXAMGEN_SECRET_KEY", None))
    """EXAMGEN_SECRET_KEY: signs sessions and CSRF tokens; generated once and kept in Redis if unset."""


@dataclass(frozen=True)
class LlmSettings:
    url: str | None = field(default_factory=lambda: _str("EXAMGEN_LLM_URL", None))
    """EXAMGEN_LLM_URL: base URL of an OpenAI-compatible chat-completions API (optional)."""
    model: str | None = field(default_factory=lambda: _str("EXAMGEN_LLM_MODEL", None))
    """EXAMGEN_LLM_MODEL: the model name sent to that API."""
    api_key: str | None = field(default_factory=lambda: _str("EXAMGEN_LLM_API_KEY", None))
    """EXAMGEN_LLM_API_KEY: bearer key for that API."""


@dataclass(frozen=True)
class LogSettings:
    format: str = field(default_factory=lambda: _str("EXAMGEN_LOG_FORMAT", "text") or "text")
    """EXAMGEN_LOG_FORMAT: `text` for a terminal, `json` for one object per line."""
    level: str = field(default_factory=lambda: _str("EXAMGEN_LOG_LEVEL", "INFO") or "INFO")
    """EXAMGEN_LOG_LEVEL: DEBUG, INFO, WARNING or ERROR."""


@dataclass(frozen=True)
class ClientSettings:
    url: str = field(default_factory=lambda: _str("EXAMGEN_URL", "http://localhost:8000") or "")
    """EXAMGEN_URL: where `examgen submit` sends the PDF (the web process's base URL)."""
    token: str | None = field(default_factory=lambda: _str("EXAMGEN_TOKEN", None))
    """EXAMGEN_TOKEN: the API token `examgen submit` sends (`examgen token create NAME`)."""


@dataclass(frozen=True)
class Settings:
    redis: RedisSettings = field(default_factory=RedisSettings)
    queue: QueueSettings = field(default_factory=QueueSettings)
    upload: UploadSettings = field(default_factory=UploadSettings)
    pdf: PdfSettings = field(default_factory=PdfSettings)
    web: WebSettings = field(default_factory=WebSettings)
    llm: LlmSettings = field(default_factory=LlmSettings)
    log: LogSettings = field(default_factory=LogSettings)
    client: ClientSettings = field(default_factory=ClientSettings)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
