"""`examgen submit` as a user runs it, against real web and worker processes."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis import Redis

from examgen.services import tokens
from tests.support import EXAMGEN, PDFS, ROOT, Proc, examgen_env, free_port, start_pool, start_web

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs


@dataclass
class Service:
    base: str
    token: str
    limited: str
    """A web process with a 1 MB upload limit and a quota of 2, on a Redis database no worker serves."""
    limited_token: str
    no_redis: str
    """A web process whose Redis does not answer."""


def run(*args: str, url: str, token: str | None, timeout_s: float = 180) -> subprocess.CompletedProcess[str]:
    env = examgen_env("redis://127.0.0.1:1/0", EXAMGEN_URL=url)  # the client never needs Redis
    if token is not None:
        env["EXAMGEN_TOKEN"] = token
    return subprocess.run(
        [EXAMGEN, "submit", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout_s
    )


@pytest.fixture(scope="module")
def service(redis_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    tmp = tmp_path_factory.mktemp("submit")
    Redis.from_url(redis_server.url).flushall()
    env = examgen_env(redis_server.url, MAX_CONCURRENT_JOBS="2")
    procs: list[Proc] = []
    try:
        web, base = start_web(env, tmp)
        procs += [web, start_pool(env, tmp, 2)]
        idle_db = redis_server.url.rsplit("/", 1)[0] + "/1"
        Redis.from_url(idle_db).flushdb()
        limited_env = examgen_env(idle_db, EXAMGEN_MAX_UPLOAD_MB="1", EXAMGEN_MAX_QUEUED_PER_TOKEN="2")
        limited, limited_base = start_web(limited_env, tmp)
        dead, dead_base = start_web(examgen_env(f"redis://127.0.0.1:{free_port()}/0"), tmp)
        procs += [limited, dead]
        token = tokens.create(Redis.from_url(redis_server.url), "cli-user")
        limited_token = tokens.create(Redis.from_url(idle_db), "cli-limited")
        yield Service(base, token, limited_base, limited_token, dead_base)
    finally:
        for proc in procs:
            proc.stop()


def test_submit_waits_and_writes_every_format(service: Service, tmp: Path) -> None:
    out = tmp / "exams"
    done = run(
        str(PDFS / "water-cycle-handout.pdf"), "--wait", "-o", str(out), "--format", "json,html,gift,moodle",
        "-n", "5", url=service.base, token=service.token,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    stem = "water-cycle-handout"
    assert names == sorted(f"{stem}.{ext}" for ext in ("json", "html", "gift.txt", "moodle.xml"))
    assert done.stdout.split() == [str(out / f"{stem}.{ext}") for ext in ("json", "html", "gift.txt", "moodle.xml")]
    exam = json.loads((out / f"{stem}.json").read_text())
    assert 1 <= len(exam["questions"]) <= 5 and exam["source"]["filename"] == "water-cycle-handout.pdf"
    assert "Uploaded water-cycle-handout.pdf" in done.stderr and "100%" in done.stderr


def test_submit_without_wait_prints_the_job_id(service: Service) -> None:
    done = run(str(PDFS / "crazyones.pdf"), url=service.base, token=service.token)
    assert done.returncode == 0, done.stderr
    job_id = done.stdout.strip()
    view = httpx.get(f"{service.base}/jobs/{job_id}", headers={"Authorization": f"Bearer {service.token}"}).json()
    assert view["job_id"] == job_id and view["filename"] == "crazyones.pdf"
    assert f"/jobs/{job_id}" in done.stderr  # where to follow it


def test_a_failed_job_exits_non_zero_with_its_reason(service: Service, tmp: Path) -> None:
    done = run(str(PDFS / "imagemagick-images.pdf"), "-o", str(tmp), url=service.base, token=service.token)
    assert done.returncode == 1
    assert "failed:" in done.stderr and "text" in done.stderr  # the job's own sentence (no text layer)
    assert not list(tmp.glob("imagemagick-images.*"))


@pytest.mark.parametrize(
    ("case", "status", "words"),
    [
        ("unknown token", 401, "refused the token"),
        ("not a pdf", 415, "not a PDF"),
        ("too large", 413, "larger than the server accepts"),
        ("quota", 429, "too many unfinished jobs"),
        ("redis down", 503, "unavailable"),
        ("no server", 0, "Cannot reach"),
    ],
)
def test_refusals_are_explained(service: Service, tmp: Path, case: str, status: int, words: str) -> None:
    pdf, url, token = str(PDFS / "crazyones.pdf"), service.base, service.token
    if case == "unknown token":
        token = "eg_unknown"
    elif case == "not a pdf":
        pdf = str(ROOT / "README.md")
    elif case == "too large":
        pdf, url, token = str(PDFS / "GeoTopo-komprimiert.pdf"), service.limited, service.limited_token
    elif case == "quota":
        url, token = service.limited, service.limited_token
        for _ in range(2):
            assert run(pdf, url=url, token=token).returncode == 0  # nobody works these off
    elif case == "redis down":
        url = service.no_redis
    elif case == "no server":
        url = f"http://127.0.0.1:{free_port()}"
    done = run(pdf, url=url, token=token)
    assert done.returncode == 1, done.stderr
    assert words in done.stderr, done.stderr
    if status:
        assert f"{status}:" in done.stderr
    assert "Traceback" not in done.stderr


def test_usage_errors(service: Service, tmp: Path) -> None:
    missing_token = run(str(PDFS / "crazyones.pdf"), url=service.base, token=None)
    assert missing_token.returncode == 2 and "EXAMGEN_TOKEN" in missing_token.stderr
    bad_format = run(str(PDFS / "crazyones.pdf"), "--format", "json,pdf", url=service.base, token=service.token)
    assert bad_format.returncode == 1 and "--format" in bad_format.stderr
    no_file = run(str(tmp / "nope.pdf"), url=service.base, token=service.token)
    assert no_file.returncode == 1 and "No such file" in no_file.stderr
