"""`examgen submit`: upload a PDF, follow the job with a progress bar, write the exam files.

Talks to the HTTP API only (never to Redis), so it runs on any machine that can reach the web
process. Progress and messages go to stderr; the paths of the written files go to stdout, one a
line, so scripts can use them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn

from examgen.services.options import EXPORTS, PRINTABLE

FORMATS = EXPORTS
ENDED = ("finished", "failed", "canceled")
POLL_S = 1.0
# While waiting, the service may restart or lose Redis for a while: keep trying this long.
OUTAGE_GIVE_UP_S = 300.0

_REASONS = {
    400: "The server found the request malformed (an Idempotency-Key is 1-255 visible ASCII characters).",
    401: "The server refused the token: pass --token or set EXAMGEN_TOKEN (made by `examgen token create NAME`).",
    403: "This token may not do that.",
    404: "The job is unknown to the server (or belongs to another token, or has expired).",
    409: "The first upload with this Idempotency-Key is still being processed: retry in a moment.",
    413: "The file is larger than the server accepts.",
    415: "The server says the file is not a PDF.",
    422: "The server refused an option.",
    429: "This token has too many unfinished jobs: wait for some to finish, then try again.",
    503: "The service is unavailable right now (its storage does not answer): try again shortly.",
}


class SubmitError(Exception):
    """Ends the command with this message and a non-zero exit status."""


@dataclass(frozen=True)
class Submission:
    path: Path
    formats: tuple[str, ...]
    out_dir: Path
    wait: bool
    fields: dict[str, str]
    variants: int = 1
    key: str = "include"
    idempotency_key: str | None = None


def explain(response: httpx.Response) -> str:
    """One sentence for a refused request: what it means, then the server's own detail."""
    try:
        detail = str(response.json().get("detail", ""))
    except ValueError:
        detail = response.text[:200].strip()
    reason = _REASONS.get(response.status_code, f"The server answered {response.status_code}.")
    retry = response.headers.get("retry-after")
    if response.status_code in (429, 503) and retry:
        reason += f" (The server suggests retrying in {retry} s.)"
    return f"{reason}\n  {response.status_code}: {detail}" if detail else reason


def parse_formats(raw: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in raw.split(",") if f.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise SubmitError(f"--format takes a comma list of {', '.join(FORMATS)}; unknown: {', '.join(unknown)}")
    return wanted


def upload(http: httpx.Client, request: Submission) -> dict[str, Any]:
    if not request.path.is_file():
        raise SubmitError(f"No such file: {request.path}")
    with request.path.open("rb") as pdf:
        files = {"file": (request.path.name, pdf, "application/pdf")}
        headers = {"Idempotency-Key": request.idempotency_key} if request.idempotency_key else {}
        response = http.post("/generate", files=files, data=request.fields, headers=headers)
    # 200: reuse=true found this exam already made; 202: a job (new, or the first with this key).
    if response.status_code not in (200, 202):
        raise SubmitError(explain(response))
    view: dict[str, Any] = response.json()
    return view


# `--wait` follows GET /jobs/{id}/events when the server has it, parsed as the EventSource
# specification says. None means "no stream here" (an older server: 404/405, or not an event
# stream) and the caller polls instead; a stream that breaks or closes early returns the last view
# it gave, and the caller polls from there, which rides out restarts and outages.
# The server sends a comment every 15 s; a read that waits longer means a dead connection.
EVENTS_READ_TIMEOUT_S = 45.0


def parse_events(lines: Iterator[str]) -> Iterator[tuple[str, str]]:
    """(event type, data) for each event dispatched by the stream."""
    event, data = "message", list[str]()
    for line in lines:
        if line == "":
            if data:
                yield event, "\n".join(data)
            event, data = "message", list[str]()
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "event":
            event = value
        elif field == "data":
            data.append(value)


def watch_events(http: httpx.Client, job_id: str, show: Callable[[dict[str, Any]], None]) -> dict[str, Any] | None:
    """The last job view the stream gave (the final one after `event: end`), or None without a stream."""
    last: dict[str, Any] | None = None
    timeout = httpx.Timeout(30.0, read=EVENTS_READ_TIMEOUT_S)
    headers = {"Accept": "text/event-stream"}
    try:
        with http.stream("GET", f"/jobs/{job_id}/events", headers=headers, timeout=timeout) as response:
            if response.status_code != 200 or not response.headers.get("content-type", "").startswith(
                "text/event-stream"
            ):
                return None
            for event, data in parse_events(response.iter_lines()):
                if event in ("job", "end") and data:
                    last = json.loads(data)
                    show(last)
                if event != "job":  # end, reconnect, unavailable: the stream has said its last
                    return last
    except (httpx.TransportError, ValueError):
        return last
    return last


def describe(view: dict[str, Any]) -> str:
    if view["status"] == "queued":
        place = f"position {view['position']}" if view.get("position") else "waiting for a slot"
        return f"Queued · {place} · about {view.get('estimated_wait_time', 0)} s to start"
    if view["status"] == "started":
        return "Generating the exam"
    return str(view["status"]).capitalize()


def follow(http: httpx.Client, view: dict[str, Any], console: Console) -> dict[str, Any]:
    """Follow the job until it ends (its event stream, else polling), showing queue position, wait
    estimate, then progress."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    )
    outage_since: float | None = None
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(describe(view), total=100, completed=view.get("progress", 0))

        def show(fresh: dict[str, Any]) -> None:
            bar.update(task, description=describe(fresh), completed=fresh.get("progress", 0))

        # Pushed events when the server has them; polling otherwise, or from where a stream broke.
        view = watch_events(http, view["job_id"], show) or view
        while view["status"] not in ENDED:
            time.sleep(POLL_S)
            try:
                response = http.get(f"/jobs/{view['job_id']}")
            except httpx.TransportError:
                response = None
            if response is not None and response.status_code == 200:
                view, outage_since = response.json(), None
                bar.update(task, description=describe(view), completed=view.get("progress", 0))
                continue
            if response is not None and response.status_code not in (502, 503, 504):
                raise SubmitError(explain(response))
            outage_since = outage_since or time.monotonic()
            if time.monotonic() - outage_since > OUTAGE_GIVE_UP_S:
                raise SubmitError(
                    f"The service has not answered for {OUTAGE_GIVE_UP_S:.0f} s; job {view['job_id']} may still run."
                )
            bar.update(task, description="Service unavailable · retrying")
    return view


def download(http: httpx.Client, view: dict[str, Any], request: Submission) -> list[Path]:
    request.out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    letters = [chr(ord("A") + i) for i in range(request.variants)]
    for letter in letters:
        for name in request.formats:
            params = {"format": name}
            if request.variants > 1:
                params["variant"] = letter
            if request.key != "include" and name in PRINTABLE:
                params["key"] = request.key
            response = http.get(f"/jobs/{view['job_id']}/exam", params=params)
            if response.status_code != 200:
                raise SubmitError(explain(response))
            stem = request.path.stem + (f".{letter}" if request.variants > 1 else "")
            stem += f".key-{request.key}" if "key" in params else ""
            target = request.out_dir / f"{stem}.{FORMATS[name]}"
            target.write_bytes(response.content)
            written.append(target)
    return written


def submit(url: str, token: str, request: Submission, console: Console, out: Console) -> None:
    """The whole command; raises SubmitError for every failure the user should read."""
    headers = {"Authorization": f"Bearer {token}", "User-Agent": "examgen-submit"}
    timeout = httpx.Timeout(30.0, connect=10.0, write=120.0)
    with httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=timeout) as http:
        try:
            view = upload(http, request)
            console.print(f"Uploaded {escape(request.path.name)}: job [bold]{view['job_id']}[/bold]")
            if not request.wait:
                console.print(
                    f"{describe(view)}. Follow it at {url.rstrip('/')}/jobs/{view['job_id']}", highlight=False
                )
                out.print(view["job_id"], highlight=False)
                return
            try:
                view = follow(http, view, console)
            except KeyboardInterrupt:
                raise SubmitError(
                    f"Stopped waiting; job {view['job_id']} goes on (GET /jobs/{view['job_id']})."
                ) from None
            if view["status"] == "failed":
                raise SubmitError(f"Job {view['job_id']} failed: {view.get('error') or 'no reason given'}")
            if view["status"] == "canceled":
                raise SubmitError(f"Job {view['job_id']} was canceled.")
            for notice in view.get("notices") or []:
                console.print(f"Note: {escape(str(notice))}", highlight=False)
            for path in download(http, view, request):
                out.print(str(path), highlight=False, soft_wrap=True)
        except httpx.TransportError as exc:
            raise SubmitError(
                f"Cannot reach {url} ({exc.__class__.__name__}): is `examgen web` running? Set EXAMGEN_URL or --url."
            ) from None
