"""Server-side geometry for the dashboard's inline SVG charts: no chart library, no script.

The per-minute history becomes four small charts (waiting, running against the cap, finished,
failed). The day view groups minutes into 10-minute buckets so 1440 points stay readable; levels
take the bucket's maximum (a peak must not vanish in an average), counts take its sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from examgen.core.stats import MinutePoint

WIDTH = 600
HEIGHT = 150
# Room for the y-axis labels on the left and the time labels below the plot.
LEFT = 34
BOTTOM = 20
TOP = 12
RANGES = {"hour": (60, 1), "day": (24 * 60, 10)}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    summary: str
    y_max: int
    line: str = ""
    """SVG polyline points of a level series (empty for bar charts)."""
    area: str = ""
    """SVG polygon points under the line."""
    bars: list[Bar] = field(default_factory=list)
    cap_y: float | None = None
    """Height of the cap line on the running chart."""
    x_labels: tuple[str, str] = ("", "")


def nice_max(value: float) -> int:
    """A round axis maximum at or above `value` (1, 2, 5, 10, 20, 50 ...), at least 1."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if value <= step * factor:
                return step * factor
        step *= 10


def _y(value: float, y_max: int) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return round(TOP + plot - plot * min(value, y_max) / y_max, 1)


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - 4
    return round(LEFT + span * index / max(count - 1, 1), 1)


def bucket(points: list[MinutePoint], size: int) -> list[MinutePoint]:
    """Group consecutive minutes: levels by their peak, counts by their sum."""
    if size <= 1:
        return points
    grouped = []
    for start in range(0, len(points), size):
        chunk = points[start : start + size]
        grouped.append(
            MinutePoint(
                chunk[0].minute,
                max(p.queue_size for p in chunk),
                max(p.processing for p in chunk),
                sum(p.finished for p in chunk),
                sum(p.failed for p in chunk),
            )
        )
    return grouped


def _hhmm(iso: str) -> str:
    return iso[11:16] if len(iso) >= 16 else iso


def _peak_sentence(values: list[int], stamps: list[str]) -> str:
    peak = max(values, default=0)
    if peak == 0:
        return "none"
    return f"peak {peak} at {_hhmm(stamps[values.index(peak)])} UTC, now {values[-1]}"


def level_chart(key: str, title: str, values: list[int], stamps: list[str], cap: int | None = None) -> Chart:
    y_max = nice_max(max([*values, cap or 0, 1]))
    n = len(values)
    coords = [f"{_x(i, n)},{_y(v, y_max)}" for i, v in enumerate(values)]
    base = _y(0, y_max)
    area = f"{_x(0, n)},{base} {' '.join(coords)} {_x(n - 1, n)},{base}"
    summary = f"{title}: {_peak_sentence(values, stamps)}" + (f"; cap {cap}" if cap is not None else "")
    return Chart(
        key=key,
        title=title,
        summary=summary,
        y_max=y_max,
        line=" ".join(coords),
        area=area,
        cap_y=_y(cap, y_max) if cap is not None else None,
        x_labels=(_hhmm(stamps[0]) if stamps else "", _hhmm(stamps[-1]) if stamps else ""),
    )


def bar_chart(key: str, title: str, values: list[int], stamps: list[str]) -> Chart:
    y_max = nice_max(max([*values, 1]))
    n = max(len(values), 1)
    slot = (WIDTH - LEFT - 4) / n
    bars = [
        Bar(
            round(LEFT + slot * i + slot * 0.15, 1),
            _y(v, y_max),
            round(slot * 0.7, 1),
            round(_y(0, y_max) - _y(v, y_max), 1),
        )
        for i, v in enumerate(values)
        if v > 0
    ]
    summary = f"{title}: {sum(values)} in all, {_peak_sentence(values, stamps)}"
    return Chart(
        key=key,
        title=title,
        summary=summary,
        y_max=y_max,
        bars=bars,
        x_labels=(_hhmm(stamps[0]) if stamps else "", _hhmm(stamps[-1]) if stamps else ""),
    )


def build(points: list[MinutePoint], range_name: str, cap: int) -> list[Chart]:
    size = RANGES[range_name][1]
    grouped = bucket(points, size)
    stamps = [p.minute for p in grouped]
    per = "per minute" if size == 1 else f"per {size} minutes"
    built = [
        level_chart("queue_size", "Jobs waiting", [p.queue_size for p in grouped], stamps),
        level_chart("processing", "Jobs running (line: cap)", [p.processing for p in grouped], stamps, cap),
        bar_chart("finished", f"Finished {per}", [p.finished for p in grouped], stamps),
        bar_chart("failed", f"Failed {per}", [p.failed for p in grouped], stamps),
    ]
    if range_name == "day" and stamps:
        # The same clock time starts and ends the day view: say which end is which.
        labels = (f"{_hhmm(stamps[0])} yesterday", f"{_hhmm(points[-1].minute)}")
        built = [replace(chart, x_labels=labels) for chart in built]
    return built
