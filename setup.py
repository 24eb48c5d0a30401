"""The one build step pyproject.toml cannot say: put htmx from its npm package into the wheel.

htmx is a dependency in dashboard/package.json and is never committed. A checkout serves it from
dashboard/node_modules (installed by `make`); a built package carries a copy in
examgen/dashboard/vendor/, made here from node_modules (running `npm ci` first if needed).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DASHBOARD = Path(__file__).resolve().parent / "dashboard"
HTMX = DASHBOARD / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"


class BuildPyWithHtmx(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install serves htmx from node_modules
        if not HTMX.is_file():
            npm = shutil.which("npm")
            if npm is None:
                raise SystemExit("building examgen needs npm, to install htmx (dashboard/package.json)")
            subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=DASHBOARD, check=True)
        target = Path(self.build_lib) / "examgen" / "dashboard" / "vendor" / HTMX.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HTMX, target)


setup(cmdclass={"build_py": BuildPyWithHtmx})
