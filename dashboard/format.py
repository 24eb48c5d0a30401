"""How times and durations read on the dashboard: short, unambiguous (UTC), never a raw float."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def parse_iso(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def duration(seconds: float | None) -> str:
    """12 s, 3 min 5 s, 2 h 4 min; an em dash when unknown."""
    if seconds is None:
        return "—"
    whole = max(round(seconds), 0)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} d {hours % 24} h"


def ago(iso: str | None, now: float | None = None) -> str:
    """ "3 min ago" for an ISO time; empty when there is none."""
    moment = parse_iso(iso)
    if moment is None:
        return ""
    elapsed = (now if now is not None else time.time()) - moment.timestamp()
    if elapsed < 5:
        return "just now"
    return f"{duration(elapsed)} ago"


def clock(iso: str | None) -> str:
    """ "2025-03-01 14:05 UTC" (the date only when it is not today)."""
    moment = parse_iso(iso)
    if moment is None:
        return ""
    moment = moment.astimezone(UTC)
    if moment.date() == datetime.now(UTC).date():
        return moment.strftime("%H:%M:%S UTC")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def between(start: str | None, end: str | None, now: float | None = None) -> float | None:
    """Seconds from start to end (or to now while running)."""
    begin = parse_iso(start)
    if begin is None:
        return None
    finish = parse_iso(end)
    stop = finish.timestamp() if finish else (now if now is not None else time.time())
    return max(stop - begin.timestamp(), 0.0)
