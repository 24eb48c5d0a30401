"""`pip install .` (not editable) gives the whole service: one `examgen` package, htmx inside it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.procs


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools' build/ folder must not be left in the checkout, nor stale files
    # of an earlier build carried into this wheel.
    source = tmp_path_factory.mktemp("source") / "examgen"
    skip = shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "*_cache", ".hypothesis", ".redis-dev")
    shutil.copytree(ROOT, source, symlinks=True, ignore=skip)
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out)]
    done = subprocess.run([*build, str(source)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (found,) = out.glob("examgen-*.whl")
    return found


def test_the_wheel_holds_one_package_with_htmx_from_npm(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "examgen/dashboard/vendor/htmx.min.js" in names  # put there at build time, never committed
    for module in (
        "examgen/api/jobs.py",
        "examgen/worker/task.py",
        "examgen/core/keys.py",
        "examgen/generator/py.typed",
    ):
        assert module in names
    assert "examgen/dashboard/templates/_status.html" in names
    assert {n.split("/")[0] for n in names if not n.startswith("examgen-")} == {"examgen"}
    assert not [n for n in names if "node_modules" in n]
    htmx = zipfile.ZipFile(wheel).read("examgen/dashboard/vendor/htmx.min.js")
    assert htmx == (ROOT / "dashboard/node_modules/htmx.org/dist/htmx.min.js").read_bytes()


def test_an_installed_wheel_serves_htmx(wheel: Path, tmp_path: Path, redis_url: str) -> None:
    # A venv of its own with the wheel installed, borrowing only the third-party packages of this one.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)]
    subprocess.run(install, check=True, timeout=300, capture_output=True)
    script = (
        "import examgen, sys\n"
        "from litestar.testing import TestClient\n"
        "from examgen.app import create_app\n"
        "assert '/site-packages/examgen/' in examgen.__file__.replace('\\\\', '/'), examgen.__file__\n"
        "with TestClient(create_app()) as client:\n"
        "    answer = client.get('/static/htmx.min.js')\n"
        "    print(answer.status_code, len(answer.content))\n"
    )
    done = subprocess.run(
        [str(python), "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"REDIS_URL": redis_url, "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    status, size = done.stdout.split()
    assert status == "200" and int(size) > 10_000
