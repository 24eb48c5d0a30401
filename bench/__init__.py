"""examgen's benchmarks: `make bench` (python -m bench) against a private redis-server.

Each measurement has its own module; `bench.__main__` runs them, repeats each at least three
times, and writes the table of medians to docs/benchmarks.md. Nothing here touches the
machine's own Redis: every run starts a redis-server of its own on a free port.
"""
