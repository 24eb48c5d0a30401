"""What the tests add to the shared process harness (examgen.testing): the repo's paths and PDFs,
the test environment, a running stack of web + workers."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from typing import Any

import httpx

from examgen import testing as harness
from examgen.generator import Cloze, Exam, Mcq, Question, Source, TrueFalse
from examgen.generator.question_types import BLANK
from examgen.testing import EXAMGEN, RedisServer, free_port, wait_until

__all__ = [
    "EXAMGEN",
    "PDFS",
    "ROOT",
    "Proc",
    "RedisServer",
    "Stack",
    "examgen_env",
    "free_port",
    "sample_exam",
    "wait_until",
]

ROOT = Path(__file__).resolve().parent.parent
# Real PDFs made by others with real tools, copied into the repository (tests/data/README.md).
PDFS = ROOT / "tests" / "data" / "pdfs"
BIN = str(harness.BIN)


class Proc(harness.Proc):
    """An examgen process started like the Procfile starts it, from the repository's root."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        super().__init__(args, env, log_path, cwd=ROOT)


def examgen_env(redis_url: str, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXAMGEN_", "MAX_CONCURRENT"))}
    env.update(REDIS_URL=redis_url, PYTHONPATH=str(ROOT), EXAMGEN_LOG_LEVEL="INFO")
    env.update(overrides)
    return env


def start_web(env: dict[str, str], tmp: Path) -> tuple[harness.Proc, str]:
    return harness.start_web(env, tmp, cwd=ROOT)


def start_pool(env: dict[str, str], tmp: Path, n: int, *extra: str, name: str = "pool") -> harness.Proc:
    return harness.start_pool(env, tmp, n, *extra, name=name, cwd=ROOT)


def run_burst(env: dict[str, str], n: int = 2, timeout_s: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXAMGEN, "worker", "--burst", "-n", str(n)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )


class Stack:
    def __init__(self, base: str, token: str, procs: dict[str, harness.Proc]) -> None:
        self.base = base
        self.token = token
        self.procs = procs
        self.http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    def submit(self, name: str, data: bytes | None = None, **fields: str) -> dict[str, Any]:
        body = data if data is not None else (PDFS / name).read_bytes()
        response = self.http.post("/generate", files={"file": (name, body, "application/pdf")}, data=fields)
        assert response.status_code == 202, response.text
        return response.json()  # type: ignore[no-any-return]

    def wait(self, job_id: str, timeout_s: float = 120) -> dict[str, Any]:
        def ended() -> dict[str, Any] | None:
            view = self.http.get(f"/jobs/{job_id}").json()
            return view if view["status"] in ("finished", "failed", "canceled") else None

        return wait_until(ended, timeout_s, interval_s=0.2, what=f"job {job_id}")  # type: ignore[no-any-return]


def procfile_commands() -> dict[str, list[str]]:
    commands = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            commands[name.strip()] = shlex.split(command)
    return commands


def sample_exam() -> Exam:
    """A small exam of every type, written by hand: what the API and export tests store as a worker
    would, independent of what the generator makes of any PDF."""
    common = {"source_page": 1}
    mcq = [
        ("An _____ is a layer of permeable rock that stores groundwater.", "aquifer",
         ["aquitard", "glacier", "aquiclude"]),
        ("_____ turns liquid water into water vapour when the sun heats the surface.", "Evaporation",
         ["Condensation", "Precipitation", "Infiltration"]),
    ]  # fmt: skip
    questions: list[Question] = []
    for prompt, answer, others in mcq:
        text = prompt.replace(BLANK, answer)
        options = [others[0], answer, *others[1:]]
        questions.append(
            Mcq(id=f"q{len(questions) + 1}", prompt=prompt, options=options, answer=answer, source_text=text,
                explanation=f"p. 1: {text}", **common)
        )  # fmt: skip
    for prompt, answer, accepted in (
        ("_____ is the release of water vapour from the leaves of plants.", "Transpiration", ["Transpiration"]),
        ("Groundwater fills the pores of rocks below the water _____.", "table", ["table", "tables"]),
    ):
        text = prompt.replace(BLANK, answer)
        questions.append(
            Cloze(id=f"q{len(questions) + 1}", prompt=prompt, options=None, answer=answer, accepted_answers=accepted,
                  source_text=text, explanation=f"p. 1: {text}", **common)
        )  # fmt: skip
    true = "Runoff is the part of precipitation that flows over the land surface into streams."
    questions.append(
        TrueFalse(
            id="q5", prompt=true, options=None, answer=True, source_text=true, explanation=f"p. 1: {true}", **common
        )
    )
    said = "Condensation forms clouds when rising water vapour cools."
    false = said.replace("cools", "warms")
    questions.append(
        TrueFalse(id="q6", prompt=false, options=None, answer=False, source_text=said, explanation=f"p. 1: {said}",
                  **common)
    )  # fmt: skip
    return Exam(
        title="The Water Cycle",
        language="en",
        source=Source("notes.pdf", 1, "0" * 64),
        generator="builtin",
        questions=questions,
    )
