"""`examgen`: the one command line for the web server, workers, tokens, status and the client."""

from __future__ import annotations

import json
import sys

import click

from worker.settings import SettingsError, get_settings


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

    settings = get_settings().web
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.web_concurrency,
        proxy_headers=True,
        forwarded_allow_ips="*",
        log_level=get_settings().log.level.lower(),
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
    from worker.log import setup_logging
    from worker.pool import run_pool

    setup_logging()
    sys.exit(run_pool(num_workers, burst))


@main.group()
def token() -> None:
    """Create, list and revoke API tokens."""


@token.command("create")
@click.argument("name")
@click.option("--admin", is_flag=True, help="The token may see every job, the dashboard and /metrics.")
def token_create(name: str, admin: bool) -> None:
    """Print a new token once, alone on the last line."""
    from api import tokens
    from worker.connection import connect

    try:
        value = tokens.create(connect(), name, admin)
    except tokens.TokenError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {'admin ' if admin else ''}token {name!r}. It is shown only this once:", err=False)
    click.echo(value)


@token.command("list")
def token_list() -> None:
    """Names and rights of every token (never the tokens themselves)."""
    from api import tokens
    from worker.connection import connect

    for record in tokens.list_tokens(connect()):
        click.echo(f"{record['name']}\t{'admin' if record['admin'] else 'user'}\tcreated {record['created_at']}")


@token.command("revoke")
@click.argument("name")
def token_revoke(name: str) -> None:
    """The token stops working at once."""
    from api import tokens
    from worker.connection import connect

    if not tokens.revoke(connect(), name):
        raise click.ClickException(f"no token named {name!r}")
    click.echo(f"Revoked {name!r}.")


@main.command()
def status() -> None:
    """The /queue/status numbers, read straight from Redis."""
    from worker import keys, stats
    from worker.connection import connect

    current = stats.read_status(connect(), keys.queue, get_settings().queue.max_concurrent_jobs)
    click.echo(json.dumps(current.as_json(), indent=2))


@main.group("stats")
def stats_group() -> None:
    """Queue statistics."""


@stats_group.command("reset")
@click.confirmation_option(prompt="Reset the high-water marks and totals?")
def stats_reset() -> None:
    """Restart the marks and totals from now (recorded as stats_reset_at)."""
    from worker import keys, stats
    from worker.connection import connect

    stats.reset(connect(), keys.queue)
    click.echo("Marks and totals reset.")


@main.command()
def dev() -> None:
    """Redis (a private one if none answers) plus the Procfile's web and workers, in the foreground."""
    from api.devserver import run_dev

    sys.exit(run_dev())


if __name__ == "__main__":
    main()
