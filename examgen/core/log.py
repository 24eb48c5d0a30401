"""Logging for every examgen process: plain text for a terminal, JSON lines for log shippers.

The seed's operators follow the queue with `journalctl -u examgen-worker -f | grep "Queue size"`,
so every enqueue, start and end logs one line through `queue_line`.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from examgen.core.settings import get_settings

log = logging.getLogger("examgen")

# Attributes a LogRecord always has; anything else was passed through `extra=` and is context.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # uvicorn adds a copy of its message with terminal colour codes; JSON readers want none.
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD and k != "color_message"})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def setup_logging() -> None:
    settings = get_settings().log
    handler = logging.StreamHandler(sys.stderr)
    if settings.format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.level.upper())
    # pypdf reports every oddity of a file as a warning; they belong to the job's error, not the log.
    logging.getLogger("pypdf").setLevel(logging.ERROR)


def queue_line(event: str, job_id: str, queued: int, running: int, cap: int, **context: Any) -> None:
    log.info(
        "%s %s. Queue size: %d (processing %d/%d)",
        event,
        job_id,
        queued,
        running,
        cap,
        extra={"event": event, "job_id": job_id, "queue_size": queued, "processing": running, **context},
    )
