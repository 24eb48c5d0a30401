"""Every setting, read from the environment: one dataclass per section (docs/contract.md lists them).

Each field reads its own variable when the section is built, so tests can set the environment and
call ``get_settings.cache_clear()``; the variable's name is in the field's metadata (`variables()`
lists them all, for `.env.example` and the docs). Nothing else in the project reads ``os.environ``
for these.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from typing import Any, get_type_hints


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


def _text(name: str, default: str) -> str:
    return _str(name, default) or default


def _flag(name: str, default: bool) -> bool:
    raw = _str(name, None)
    return default if raw is None else raw.strip().lower() != "false"


def _env(read: Any, name: str, *args: Any) -> Any:
    """A field filled by `read(name, *args)` when its section is built; the name kept in its metadata."""
    return field(default_factory=lambda: read(name, *args), metadata={"env": name})


# The generator's engines (examgen.generator.ENGINES; the core does not import the generator).
PDF_ENGINES = ("pypdf", "pdfium")


def _pdf_engine(name: str) -> str:
    engine = (_str(name, "pypdf") or "pypdf").strip().lower()
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
    url: str = _env(_text, "REDIS_URL", "redis://localhost:6379/0")
    """REDIS_URL: the one Redis (redis://, rediss:// or unix://)."""
    socket_timeout_s: float = 5.0
    """Network calls give up after this long, so a dead Redis answers 503 instead of hanging."""
    tls_verify: bool = _env(_flag, "EXAMGEN_REDIS_TLS_VERIFY", True)
    """EXAMGEN_REDIS_TLS_VERIFY: `false` accepts a rediss:// server's self-signed certificate (Heroku Redis)."""
    wait_s: int = _env(_int, "EXAMGEN_REDIS_WAIT_S", 60, 1, 86_400)
    """EXAMGEN_REDIS_WAIT_S: a worker pool waits this long for Redis at start (5x that once running), then exits 1."""


@dataclass(frozen=True)
class QueueSettings:
    max_concurrent_jobs: int = _env(_int, "MAX_CONCURRENT_JOBS", 5, 1, 10_000)
    """MAX_CONCURRENT_JOBS: most jobs executing at once across every worker on every host."""
    job_timeout_s: int = _env(_int, "EXAMGEN_JOB_TIMEOUT", 600, 1, 86_400)
    """EXAMGEN_JOB_TIMEOUT: seconds before a running job is stopped and failed."""
    result_ttl_days: int = _env(_int, "EXAMGEN_RESULT_TTL_DAYS", 7, 1, 3650)
    """EXAMGEN_RESULT_TTL_DAYS: how long jobs, results and uploads are kept."""
    max_queued_per_token: int = _env(_int, "EXAMGEN_MAX_QUEUED_PER_TOKEN", 50, 1, 1_000_000)
    """EXAMGEN_MAX_QUEUED_PER_TOKEN: unfinished jobs one token may have before it gets 429."""
    max_running_per_token: int = _env(_int, "EXAMGEN_MAX_RUNNING_PER_TOKEN", 0, 0, 10_000)
    """EXAMGEN_MAX_RUNNING_PER_TOKEN: most jobs of one token running at once across the deployment (0: no limit)."""
    lease_ttl_s: int = _env(_int, "EXAMGEN_LEASE_TTL", 30, 3, 600)
    """EXAMGEN_LEASE_TTL: a slot whose holder stops renewing it is free again after this long."""
    max_attempts: int = _env(_int, "EXAMGEN_MAX_ATTEMPTS", 3, 1, 100)
    """EXAMGEN_MAX_ATTEMPTS: runs of one job whose worker died before it fails for good."""
    shutdown_grace_s: int = _env(_int, "EXAMGEN_SHUTDOWN_GRACE", 25, 0, 3600)
    """EXAMGEN_SHUTDOWN_GRACE: on SIGTERM a running job may finish for this long, then goes back."""

    @property
    def result_ttl_s(self) -> int:
        return self.result_ttl_days * 86_400


@dataclass(frozen=True)
class UploadSettings:
    max_upload_mb: int = _env(_int, "EXAMGEN_MAX_UPLOAD_MB", 20, 1, 1024)
    """EXAMGEN_MAX_UPLOAD_MB: larger uploads get 413."""
    max_pages: int = _env(_int, "EXAMGEN_MAX_PAGES", 500, 1, 100_000)
    """EXAMGEN_MAX_PAGES: longer PDFs fail with a clear error."""

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


STORAGE_SCHEMES = ("redis", "file", "s3")


def _storage_url(name: str) -> str:
    """`redis`, `file:///absolute/dir` or `s3://bucket[/prefix]`, checked at start (a typo must not
    surface as the first upload's 503)."""
    raw = (_str(name, "redis") or "redis").strip()
    if raw == "redis":
        return raw
    scheme, sep, rest = raw.partition("://")
    if not sep or scheme not in STORAGE_SCHEMES[1:]:
        raise SettingsError(f"{name} must be redis, file:///DIR or s3://BUCKET/PREFIX, not {raw!r}")
    if scheme == "file" and not rest.startswith("/"):
        raise SettingsError(f"{name}=file:// needs an absolute directory (file:///var/lib/examgen), not {raw!r}")
    if scheme == "s3" and not rest.split("/", 1)[0]:
        raise SettingsError(f"{name}=s3:// needs a bucket (s3://BUCKET/PREFIX), not {raw!r}")
    return raw


@dataclass(frozen=True)
class StorageSettings:
    url: str = _env(_storage_url, "EXAMGEN_STORAGE_URL")
    """EXAMGEN_STORAGE_URL: where uploads wait for their job: `redis` (default), `file:///DIR` (one
    host or a shared volume) or `s3://BUCKET/PREFIX` (any S3-compatible store; endpoint and
    credentials from AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)."""
    aws_region: str | None = _env(_str, "AWS_REGION", None)
    """AWS_REGION: the s3:// store's region (AWS_DEFAULT_REGION, which boto3 reads itself, when unset)."""


@dataclass(frozen=True)
class PdfSettings:
    engine: str = _env(_pdf_engine, "EXAMGEN_PDF_ENGINE")
    """EXAMGEN_PDF_ENGINE: `pypdf` (default) or `pdfium` (the `pdfium` extra) for the worker's text
    extraction; the upload check always uses pypdf (docs/pdf-engines.md)."""


@dataclass(frozen=True)
class WebSettings:
    port: int = _env(_int, "PORT", 8000, 1, 65_535)
    """PORT: the web port."""
    host: str = _env(_text, "EXAMGEN_HOST", "0.0.0.0")
    """EXAMGEN_HOST: the address the web server binds."""
    web_concurrency: int = _env(_int, "WEB_CONCURRENCY", 1, 1, 64)
    """WEB_CONCURRENCY: uvicorn worker processes of `examgen web`."""
    header_timeout_s: int = _env(_int, "EXAMGEN_HEADER_TIMEOUT", 10, 1, 3600)
    """EXAMGEN_HEADER_TIMEOUT: seconds a connection may take to send a request's headers."""
    admin_token: str | None = _env(_str, "EXAMGEN_ADMIN_TOKEN", None)
    """EXAMGEN_ADMIN_TOKEN: when set, a bearer token with admin rights."""
    secret_key: str | None = _env(_str, "EXAMGEN_SECRET_KEY", None)
    """EXAMGEN_SECRET_KEY: signs sessions and CSRF tokens; generated once and kept in Redis if unset."""
    callback_allow: str = _env(_text, "EXAMGEN_CALLBACK_ALLOW", "")
    """EXAMGEN_CALLBACK_ALLOW: comma list of hosts or URL prefixes a callback_url may name; empty: none."""


@dataclass(frozen=True)
class CallbackSettings:
    timeout_s: int = _env(_int, "EXAMGEN_CALLBACK_TIMEOUT_S", 10, 1, 300)
    """EXAMGEN_CALLBACK_TIMEOUT_S: seconds a webhook delivery may wait to connect, and for each read or write;
    one attempt as a whole gets `attempt_s`."""
    attempts: int = _env(_int, "EXAMGEN_CALLBACK_ATTEMPTS", 6, 1, 50)
    """EXAMGEN_CALLBACK_ATTEMPTS: attempts of one delivery before it is given up (failed)."""
    backoff_s: int = _env(_int, "EXAMGEN_CALLBACK_BACKOFF_S", 10, 1, 86_400)
    """EXAMGEN_CALLBACK_BACKOFF_S: delay before the first retry; each later one doubles it (with jitter)."""

    @property
    def attempt_s(self) -> int:
        """The deadline of one attempt as a whole (address lookup, connect, write, read): the
        per-phase timeouts alone bound no total, a receiver answering a byte at a time resets them."""
        return 3 * self.timeout_s

    @property
    def claim_s(self) -> int:
        """How long a sender holds a delivery: longer than one attempt can take (its deadline, plus
        building the body and recording the attempt), so a live sender is never overtaken; a dead
        one's is sent again."""
        return self.attempt_s + 10


@dataclass(frozen=True)
class LlmSettings:
    url: str | None = _env(_str, "EXAMGEN_LLM_URL", None)
    """EXAMGEN_LLM_URL: base URL of an OpenAI-compatible chat-completions API (optional)."""
    model: str | None = _env(_str, "EXAMGEN_LLM_MODEL", None)
    """EXAMGEN_LLM_MODEL: the model name sent to that API."""
    api_key: str | None = _env(_str, "EXAMGEN_LLM_API_KEY", None)
    """EXAMGEN_LLM_API_KEY: bearer key for that API."""


@dataclass(frozen=True)
class LogSettings:
    format: str = _env(_text, "EXAMGEN_LOG_FORMAT", "text")
    """EXAMGEN_LOG_FORMAT: `text` for a terminal, `json` for one object per line."""
    level: str = _env(_text, "EXAMGEN_LOG_LEVEL", "INFO")
    """EXAMGEN_LOG_LEVEL: DEBUG, INFO, WARNING or ERROR."""


@dataclass(frozen=True)
class ClientSettings:
    url: str = _env(_text, "EXAMGEN_URL", "http://localhost:8000")
    """EXAMGEN_URL: where `examgen submit` sends the PDF (the web process's base URL)."""
    token: str | None = _env(_str, "EXAMGEN_TOKEN", None)
    """EXAMGEN_TOKEN: the API token `examgen submit` sends (`examgen token create NAME`)."""


@dataclass(frozen=True)
class Settings:
    redis: RedisSettings = field(default_factory=RedisSettings)
    queue: QueueSettings = field(default_factory=QueueSettings)
    upload: UploadSettings = field(default_factory=UploadSettings)
    pdf: PdfSettings = field(default_factory=PdfSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    web: WebSettings = field(default_factory=WebSettings)
    callback: CallbackSettings = field(default_factory=CallbackSettings)
    llm: LlmSettings = field(default_factory=LlmSettings)
    log: LogSettings = field(default_factory=LogSettings)
    client: ClientSettings = field(default_factory=ClientSettings)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def variables() -> list[str]:
    """Every environment variable a setting reads, in the order of the sections."""
    found: list[str] = []

    def walk(section: type[Any]) -> None:
        hints = get_type_hints(section)
        for item in fields(section):
            if "env" in item.metadata:
                found.append(item.metadata["env"])
            elif is_dataclass(hints[item.name]):
                walk(hints[item.name])

    walk(Settings)
    return found
