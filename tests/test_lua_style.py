"""Every Lua script names its KEYS and ARGV in locals at the top, as RQ's own scripts do."""

from __future__ import annotations

import re

from examgen.core import delivery_lua, fair_lua, lease_lua, lua

# KEYS[n] or ARGV[n] with a literal index, anywhere but on a `local ... =` line.
UNNAMED = re.compile(r"(KEYS|ARGV)\[\d+\]")


def scripts() -> dict[str, str]:
    found = {}
    for module in (lua, lease_lua, fair_lua, delivery_lua):
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str) and "redis.call" in value:
                found[f"{module.__name__}.{name}"] = value
    return found


def test_keys_and_argv_are_named_in_locals() -> None:
    offenders = [
        f"{name}: {line.strip()}"
        for name, source in scripts().items()
        for line in source.splitlines()
        if UNNAMED.search(line) and not line.lstrip().startswith("local ")
    ]
    assert offenders == []
    assert len(scripts()) >= 10
