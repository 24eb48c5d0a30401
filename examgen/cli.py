"""`examgen`: the one command line for the web server, workers, tokens, status and the client."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from examgen.core.settings import SettingsError, get_settings

F = TypeVar("F", bound=Callable[..., Any])


@click.group()
def main() -> None:
    """examgen: turn course-material PDFs into exams."""
    try:
        get_settings()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
def web() -> None:
    """The ASGI server on $PORT (proxy headers on, WEB_CONCURRENCY processes)."""
    import uvicorn

    from examgen.api.serverproto import DEFAULT_PROTOCOL, PROTOCOLS
    from examgen.core.log import setup_logging

    # uvicorn's own log config would print its lines as plain text beside examgen's JSON lines;
    # without one, its loggers reach the root handler set up here (and again in each process).
    setup_logging()
    settings = get_settings().web
    uvicorn.run(
        "examgen.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.web_concurrency,
        http=PROTOCOLS[DEFAULT_PROTOCOL],
        proxy_headers=True,
        forwarded_allow_ips="*",
        log_level=get_settings().log.level.lower(),
        log_config=None,
    )


@main.command()
@click.option(
    "-n",
    "--num-workers",
    type=click.IntRange(1, 1000),
    default=None,
    help="Worker processes in this pool (default: MAX_CONCURRENT_JOBS).",
)
@click.option("--burst", is_flag=True, help="Exit once the queue is empty (scale-to-zero platforms).")
def worker(num_workers: int | None, burst: bool) -> None:
    """A pool of worker processes; the cap holds across every pool on every host."""
    from examgen.core.log import setup_logging
    from examgen.worker.pool import run_pool

    setup_logging()
    sys.exit(run_pool(num_workers, burst))


@main.group()
def token() -> None:
    """Create, list and revoke API tokens."""


@token.command("create")
@click.argument("name")
@click.option("--admin", is_flag=True, help="The token may see every job, the dashboard and /metrics.")
@click.option(
    "--weight",
    type=click.IntRange(1, 1000),
    default=1,
    show_default=True,
    help="The token's share of the cap against other tokens with waiting jobs.",
)
def token_create(name: str, admin: bool, weight: int) -> None:
    """Print a new token once, alone on the last line."""
    from examgen.core.connection import connect
    from examgen.services import tokens

    try:
        value = tokens.create(connect(), name, admin, weight)
    except tokens.TokenError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {'admin ' if admin else ''}token {name!r}. It is shown only this once:", err=False)
    click.echo(value)


@token.command("secret")
@click.argument("name")
def token_secret(name: str) -> None:
    """Print a new secret that signs NAME's callbacks, once, alone on the last line."""
    from examgen.core.connection import connect
    from examgen.services import callbacks, tokens

    redis = connect()
    if not any(r["name"] == name for r in tokens.list_tokens(redis)):
        raise click.ClickException(f"no token named {name!r}")
    click.echo(f"New callback signing secret of {name!r} (the previous one stops signing). Shown only this once:")
    click.echo(callbacks.new_secret(redis, name))


@token.command("list")
def token_list() -> None:
    """Names and rights of every token (never the tokens themselves)."""
    from examgen.core.connection import connect
    from examgen.services import tokens

    for record in tokens.list_tokens(connect()):
        click.echo(f"{record['name']}\t{'admin' if record['admin'] else 'user'}\tcreated {record['created_at']}")


@token.command("revoke")
@click.argument("name")
def token_revoke(name: str) -> None:
    """The token stops working at once."""
    from examgen.core.connection import connect
    from examgen.services import tokens

    if not tokens.revoke(connect(), name):
        raise click.ClickException(f"no token named {name!r}")
    click.echo(f"Revoked {name!r}.")


@main.command()
def status() -> None:
    """The /queue/status numbers, read straight from Redis."""
    from examgen.core.connection import connect
    from examgen.services import status as queue_status

    current = queue_status.read(connect())
    click.echo(json.dumps(current.as_json(), indent=2))


@main.group("stats")
def stats_group() -> None:
    """Queue statistics."""


@stats_group.command("reset")
@click.confirmation_option(prompt="Reset the high-water marks and totals?")
def stats_reset() -> None:
    """Restart the marks and totals from now (recorded as stats_reset_at)."""
    from examgen.core import keys, stats
    from examgen.core.connection import connect

    stats.reset(connect(), keys.queue)
    click.echo("Marks and totals reset.")


@main.command()
@click.option("--wait", "wait_s", type=click.FloatRange(0, 3600), default=0, help="Retry Redis for this many seconds.")
def check(wait_s: float) -> None:
    """Exit 0 when the settings parse and Redis answers (a release step); 1 with the reason otherwise."""
    from examgen.check import run_check

    sys.exit(run_check(wait_s))


@main.command()
def dev() -> None:
    """Redis (a private one if none answers) plus the Procfile's web and workers, in the foreground."""
    from examgen.devserver import run_dev

    sys.exit(run_dev())


def export_options(default_formats: str, default_variants: int | None) -> Callable[[F], F]:
    """--format, --variants and --key, the same for `examgen generate` and `examgen submit`."""

    def add(command: F) -> F:
        for option in reversed(
            (
                click.option(
                    "--format",
                    "formats",
                    default=default_formats,
                    show_default=True,
                    help="Comma list of json, html, gift, moodle, qti, aiken, docx.",
                ),
                click.option(
                    "--variants",
                    type=click.IntRange(1, 26),
                    default=default_variants,
                    help="Versions A, B, … of the exam, questions and options shuffled (default 1).",
                ),
                click.option(
                    "--key",
                    type=click.Choice(["include", "none", "only"]),
                    default="include",
                    show_default=True,
                    help="html/docx: with the answer key, the student copy (none) or the key alone (only).",
                ),
            )
        ):
            command = option(command)
        return command

    return add


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-n", "--num-questions", type=click.IntRange(1, 100), default=10, show_default=True, help="Questions.")
@click.option("--types", default="mcq,cloze,true_false", show_default=True, help="Comma list of question types.")
@click.option("--language", type=click.Choice(["auto", "en", "zh"]), default="auto", show_default=True)
@click.option("--title", default=None, help="The exam's title (default: the PDF's title or file name).")
@click.option(
    "-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True
)
@export_options(default_formats="json,html", default_variants=1)
@click.option(
    "--max-pages", type=click.IntRange(1, 100_000), default=500, show_default=True, help="Refuse longer PDFs."
)
@click.option(
    "--engine", type=click.Choice(["pypdf", "pdfium"]), default="pypdf", show_default=True, help="Text engine."
)
def generate(**params: Any) -> None:
    """Make an exam from FILE.pdf right here, with no Redis and no server (the offline generator)."""
    from examgen.generator_cli import run_generate

    sys.exit(run_generate(**params))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--wait", is_flag=True, help="Follow the job with a progress bar and write the exam files.")
@click.option(
    "-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Write here (implies --wait)."
)
@export_options(default_formats="json", default_variants=None)
@click.option("--idempotency-key", default=None, help="Sent as Idempotency-Key: a retry answers the first job.")
@click.option("--reuse", is_flag=True, help="Answer with the finished exam of the same PDF and options, if any.")
@click.option("--url", default=None, help="The service's base URL [env EXAMGEN_URL; default http://localhost:8000].")
@click.option("--token", default=None, help="API token [env EXAMGEN_TOKEN].")
@click.option("-n", "--num-questions", type=click.IntRange(1, 100), default=None, help="Questions (default 10).")
@click.option("--types", default=None, help="Comma list of mcq, cloze, true_false (default all).")
@click.option("--title", default=None, help="The exam's title.")
@click.option("--language", type=click.Choice(["auto", "en", "zh"]), default=None, help="Source language.")
def submit(
    file: Path,
    wait: bool,
    out_dir: Path | None,
    formats: str,
    url: str | None,
    token: str | None,
    num_questions: int | None,
    types: str | None,
    title: str | None,
    language: str | None,
    variants: int | None,
    key: str,
    idempotency_key: str | None,
    reuse: bool,
) -> None:
    """Upload FILE.pdf as a job; with --wait (or -o) show its progress and write the exam files."""
    from rich.console import Console

    from examgen import client

    settings = get_settings().client
    token = token or settings.token
    if not token:
        raise click.UsageError("No API token: pass --token or set EXAMGEN_TOKEN.")
    fields = {
        "num_questions": num_questions,
        "types": types,
        "title": title,
        "language": language,
        "variants": variants,
        "reuse": "true" if reuse else None,
    }
    try:
        request = client.Submission(
            path=file,
            formats=client.parse_formats(formats),
            out_dir=out_dir or Path("."),
            wait=wait or out_dir is not None,
            fields={k: str(v) for k, v in fields.items() if v is not None},
            variants=variants or 1,
            key=key,
            idempotency_key=idempotency_key,
        )
        client.submit(url or settings.url, token, request, Console(stderr=True, soft_wrap=True), Console())
    except client.SubmitError as exc:
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/bold red] {exc}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
