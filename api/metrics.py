"""GET /metrics: Prometheus text exposition of the whole deployment, read from Redis per scrape.

Every number lives in Redis (the stats hash, the duration histogram, the request counts of all
web processes), so a collector that reads them at scrape time reports the same totals whichever
web process Prometheus reaches. Process-local prometheus-client counters would split the totals
across processes and reset on every restart. The registry is built per scrape and holds only this
collector: the global one would add this process's GC and platform metrics, which describe one
process among many.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from litestar import Response, get
from litestar.di import NamedDependency
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from redis import Redis
from rq.utils import as_text

from examgen.api.httpstats import parse_field
from examgen.api.openapi import errors
from examgen.core import keys
from examgen.services import status as queue_status
from examgen.services.tokens import Caller
from examgen.web.auth import require_admin

EXPOSITION_TYPE = "text/plain; version=0.0.4"
# (metric name after "examgen_", key of /queue/status, help): the same numbers under the same names.
GAUGES = (
    ("queue_size", "queue_size", "Jobs waiting to start."),
    ("processing", "processing", "Jobs executing now, across every worker process and host."),
    ("max_concurrent", "max_concurrent", "The cap in force (MAX_CONCURRENT_JOBS)."),
    ("max_queue_size", "max_queue_size", "Highest queue_size reached (exact; `examgen stats reset` restarts it)."),
    ("max_processing", "max_processing", "Highest processing reached (exact; `examgen stats reset` restarts it)."),
    ("estimated_wait_seconds", "estimated_wait_time", "Seconds a job submitted now would wait before it starts."),
    ("oldest_waiting_seconds", "oldest_waiting_seconds", "Age of the oldest job waiting to start (queue latency)."),
    ("live_workers", "live_workers", "Worker processes of live pools."),
    ("live_pools", "live_pools", "Live `examgen worker` pools."),
)


class ExamgenCollector(Collector):
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    def collect(self) -> Iterator[Metric]:
        status = queue_status.read(self.redis).as_json()
        for name, key, help_text in GAUGES:
            yield GaugeMetricFamily(f"examgen_{name}", help_text, value=float(status[key]))
        # A reset of the totals looks like a counter reset to Prometheus, which rate() handles.
        yield CounterMetricFamily(
            "examgen_jobs_processed", "Jobs that ran to an end (finished or failed).", value=status["total_processed"]
        )
        yield CounterMetricFamily("examgen_jobs_failed", "Jobs that failed.", value=status["total_failed"])
        yield from self._owners()
        yield self._durations()
        yield self._requests()

    def _owners(self) -> Iterator[Metric]:
        rows = queue_status.owners_for_metrics(self.redis)
        families = (
            ("waiting", "Jobs of the owner (token) waiting to start; the top owners, the rest as _other."),
            ("running", "Jobs of the owner (token) running now; the top owners, the rest as _other."),
        )
        for field, help_text in families:
            family = GaugeMetricFamily(f"examgen_owner_{field}_jobs", help_text, labels=["owner"])
            for row in rows:
                family.add_metric([row["owner"]], float(row[field]))
            yield family

    def _durations(self) -> Metric:
        raw = {as_text(k): int(v) for k, v in self.redis.hgetall(keys.durations).items()}
        count = raw.get("count", 0)
        # Each job was counted once, in the first bucket it fits; Prometheus wants running totals.
        running_totals = itertools.accumulate(raw.get(f"in_{b * 1000}", 0) for b in keys.duration_buckets_s)
        buckets = [(str(float(b)), float(n)) for b, n in zip(keys.duration_buckets_s, running_totals, strict=True)]
        buckets.append(("+Inf", float(count)))
        return HistogramMetricFamily(
            "examgen_job_duration_seconds",
            "Seconds from a job's start to its end (finished or failed).",
            buckets=buckets,
            sum_value=raw.get("sum_ms", 0) / 1000,
        )

    def _requests(self) -> Metric:
        family = CounterMetricFamily(
            "examgen_http_requests",
            "HTTP responses of every web process by method, route template and status (flushed every few seconds).",
            labels=["method", "route", "status"],
        )
        for field, count in sorted(self.redis.hgetall(keys.http_requests).items()):
            method, status, route = parse_field(as_text(field))
            family.add_metric([method, route, status], int(count))
        return family


def exposition(redis: Redis) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ExamgenCollector(redis))
    return generate_latest(registry)


@get(
    "/metrics",
    sync_to_thread=True,
    tags=["health"],
    summary="Prometheus metrics (admin)",
    responses=errors(400, 401, 403, 503),
)
def metrics(caller: NamedDependency[Caller], redis: NamedDependency[Redis]) -> Response[bytes]:
    require_admin(caller)
    # Format 0.0.4, which every Prometheus version reads; Litestar appends the charset itself.
    return Response(exposition(redis), media_type=EXPOSITION_TYPE)
