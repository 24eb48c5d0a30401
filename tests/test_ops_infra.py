"""The deployment files agree with the code: settings, systemd units, app.json, redis.conf."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from configparser import ConfigParser

import pytest

from examgen.core import settings
from examgen.core.settings import QueueSettings
from examgen.worker import pool
from tests.support import ROOT

INFRA = ROOT / "infra"
UNITS = ("examgen-web.service", "examgen-worker.service")


def settings_variables() -> set[str]:
    return set(settings.variables())


def env_example() -> dict[str, str]:
    """Variable -> the comment lines right above it."""
    listed: dict[str, str] = {}
    comment: list[str] = []
    for line in (INFRA / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line)
        if match:
            listed[match.group(1)] = " ".join(comment)
            comment = []
        elif line.startswith("#"):
            comment.append(line.lstrip("# ").strip())
        else:
            comment = []
    return listed


def unit(name: str) -> ConfigParser:
    parser = ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(INFRA / name)
    return parser


def test_env_example_lists_exactly_the_settings_each_with_a_comment() -> None:
    read = settings_variables()
    listed = env_example()
    assert len(read) >= 20
    assert read - set(listed) == set(), "settings missing from infra/.env.example"
    assert set(listed) - read == set(), "infra/.env.example lists variables nothing reads"
    assert all(listed.values()), [name for name, comment in listed.items() if not comment]


@pytest.mark.parametrize("name", UNITS)
def test_units_restart_log_to_the_journal_and_are_sandboxed(name: str) -> None:
    service = unit(name)["Service"]
    assert service["Restart"] == "on-failure" and service["EnvironmentFile"].startswith("/etc/examgen/")
    assert service["StandardOutput"] == service["StandardError"] == "journal"
    assert service["SyslogIdentifier"] == name.removesuffix(".service")
    for key in ("DynamicUser", "NoNewPrivileges", "PrivateTmp", "ProtectHome", "PrivateDevices"):
        assert service[key] == "yes", key
    assert service["ProtectSystem"] == "strict" and service["CapabilityBoundingSet"] == ""
    assert service["ExecStart"].endswith(f"examgen {name.split('-')[1].split('.')[0]}")


def test_worker_unit_stops_through_the_pool_within_the_grace_period(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXAMGEN_SHUTDOWN_GRACE", raising=False)
    service = unit("examgen-worker.service")["Service"]
    assert service["KillMode"] == "mixed" and service["KillSignal"] == "SIGTERM"
    grace = QueueSettings().shutdown_grace_s
    assert grace == 25
    assert int(service["TimeoutStopSec"]) > grace + pool.STOP_MARGIN_S
    assert "second SIGTERM" in (INFRA / "examgen-worker.service").read_text()  # the why is written down


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("name", UNITS)
def test_units_pass_systemd_analyze_verify(name: str) -> None:
    done = subprocess.run(
        ["systemd-analyze", "verify", str(INFRA / name)], capture_output=True, text=True, timeout=60, check=False
    )
    # The only complaint allowed here: the install path does not exist on the test machine.
    problems = [line for line in done.stderr.splitlines() if line.strip() and "is not executable" not in line]
    assert problems == []


def test_app_json_runs_the_procfile_with_a_redis_addon() -> None:
    manifest = json.loads((ROOT / "app.json").read_text())
    assert {k: v["quantity"] for k, v in manifest["formation"].items()} == {"web": 1, "worker": 1}
    assert any(addon["plan"].startswith("heroku-redis") for addon in manifest["addons"])
    assert set(manifest["env"]) <= settings_variables()
    assert manifest["env"]["EXAMGEN_ADMIN_TOKEN"]["generator"] == "secret"
    # Heroku gives a dyno 30 s between SIGTERM and SIGKILL.
    assert int(manifest["env"]["EXAMGEN_SHUTDOWN_GRACE"]["value"]) + pool.STOP_MARGIN_S < 30


def test_redis_conf_is_durable_local_and_never_evicts() -> None:
    conf = {
        parts[0]: " ".join(parts[1:])
        for parts in (line.split() for line in (INFRA / "redis.conf").read_text().splitlines())
        if parts and not parts[0].startswith("#")
    }
    assert conf["appendonly"] == "yes" and conf["appendfsync"] == "everysec"
    assert conf["maxmemory-policy"] == "noeviction" and conf["bind"].startswith("127.0.0.1")
    assert "requirepass" in (INFRA / "redis.conf").read_text()


def test_the_contract_and_the_readme_name_every_setting() -> None:
    contract = (ROOT / "docs" / "contract.md").read_text()
    readme = (ROOT / "README.md").read_text()
    assert [v for v in settings.variables() if f"`{v}`" not in contract] == []
    assert [v for v in settings.variables() if f"`{v}`" not in readme] == []
