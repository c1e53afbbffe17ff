"""One metric's runs as an inline SVG: each side's runs, means and spread, the interval
of the change, the tolerance and the limits, on one value axis.

The change interval is the test's (candidate minus baseline, at ``ci_level``), drawn
from the baseline's mean: where the test places the candidate's mean. The shaded side
of the tolerance line is "worse than tolerated"; that of a limit, a breach.
"""

from __future__ import annotations

from gate.report.pictures.svg_canvas import (
    BASELINE_COLOUR,
    CANDIDATE_COLOUR,
    FAIL_COLOUR,
    Scale,
    coord,
    finite,
    label,
    svg_open,
)
from gate.result import MetricResult, SideSummary
from gate.vocabulary import Direction

WIDTH, HEIGHT = 560, 118
LEFT, RIGHT = 74, 546
ROWS = {"baseline": 38, "candidate": 74}
AXIS_Y = 96


def tolerance_line(metric: MetricResult) -> float | None:
    """The value a mean may not be worse than: the baseline mean moved by the tolerance."""
    tolerance, base = finite(metric.tolerance), finite(metric.baseline.mean)
    if tolerance is None or base is None:
        return None
    sign = -1.0 if metric.direction is Direction.HIGHER else 1.0
    return finite(base + sign * tolerance)


def change_interval(metric: MetricResult) -> tuple[float, float] | None:
    """The change's interval placed at the baseline mean, where both ends are known."""
    base, low, high = (finite(v) for v in (metric.baseline.mean, metric.ci_low, metric.ci_high))
    if base is None or low is None or high is None:
        return None
    return base + low, base + high


def runs_svg(metric: MetricResult) -> str:
    """The picture, or "" when there is no value to draw."""
    picture = metric.picture
    interval = change_interval(metric)
    tolerance = tolerance_line(metric)
    at_least, at_most = finite(metric.at_least), finite(metric.at_most)
    values = [*picture.baseline, *picture.candidate, *_spread(metric.baseline)]
    values = [v for v in (*values, *_spread(metric.candidate)) if finite(v) is not None]
    if not values:
        return ""
    marks = [v for v in (tolerance, at_least, at_most) if v is not None]
    x = Scale.over([*values, *(interval or ()), *marks], LEFT, RIGHT)
    failing = metric.fails_gate
    parts = [svg_open(WIDTH, HEIGHT, f"{metric.name}: runs of both sides", "runs")]
    worse_left = metric.direction is Direction.HIGHER
    if tolerance is not None:
        parts.append(_zone(x, tolerance, left=worse_left, css="tolerance", fill="#fff1e5"))
    if at_least is not None:
        parts.append(_zone(x, at_least, left=True, css="limit", fill="#ffebe9"))
    if at_most is not None:
        parts.append(_zone(x, at_most, left=False, css="limit", fill="#ffebe9"))
    for tick in x.ticks():
        parts.append(
            f'<line x1="{coord(x(tick))}" x2="{coord(x(tick))}" y1="18" y2="{AXIS_Y}" '
            f'stroke="currentColor" stroke-opacity=".12"/>'
            f'<text x="{coord(x(tick))}" y="{AXIS_Y + 13}" text-anchor="middle" '
            f'fill="currentColor">{label(tick)}</text>'
        )
    if tolerance is not None:
        parts.append(_marker(x, tolerance, "tolerance", "#bc4c00", dashed=True))
    if at_least is not None:
        parts.append(_marker(x, at_least, f"≥ {label(at_least)}", FAIL_COLOUR))
    if at_most is not None:
        parts.append(_marker(x, at_most, f"≤ {label(at_most)}", FAIL_COLOUR))
    candidate_colour = FAIL_COLOUR if failing else CANDIDATE_COLOUR
    for side, summary, points, colour in (
        ("baseline", metric.baseline, picture.baseline, BASELINE_COLOUR),
        ("candidate", metric.candidate, picture.candidate, candidate_colour),
    ):
        y = ROWS[side]
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4}" text-anchor="end" fill="currentColor">{side}</text>'
        )
        if side == "candidate" and interval is not None:
            low, high = sorted(x.clamped(v) for v in interval)
            parts.append(
                f'<rect class="interval" x="{coord(low)}" y="{y - 7}" '
                f'width="{coord(max(high - low, 1.0))}" height="14" rx="3" '
                f'fill="{colour}" fill-opacity=".18"/>'
            )
        parts.extend(_side(x, y, summary, points, side, colour))
    parts.append("</svg>")
    return "".join(parts)


def _spread(summary: SideSummary) -> list[float]:
    mean, sd = finite(summary.mean), finite(summary.sd) or 0.0
    return [] if mean is None else [mean - sd, mean + sd]


def _side(
    x: Scale, y: int, summary: SideSummary, points: tuple[float, ...], side: str, colour: str
) -> list[str]:
    parts = []
    for index, value in enumerate(v for v in points if finite(v) is not None):
        jitter = (index * 7 % 5 - 2) * 2  # spread equal values apart, the same way each time
        parts.append(
            f'<circle class="run {side}" cx="{coord(x(value))}" cy="{y + jitter}" r="3" '
            f'fill="{colour}" fill-opacity=".55"/>'
        )
    centre, sd = finite(summary.mean), finite(summary.sd)
    if centre is not None:
        mean = coord(x(centre))
        if sd:
            low, high = coord(x(centre - sd)), coord(x(centre + sd))
            parts.append(
                f'<line class="sd" x1="{low}" x2="{high}" y1="{y}" y2="{y}" '
                f'stroke="{colour}" stroke-width="1.5"/>'
            )
        parts.append(
            f'<line class="mean {side}" x1="{mean}" x2="{mean}" y1="{y - 10}" y2="{y + 10}" '
            f'stroke="{colour}" stroke-width="3"/>'
        )
    return parts


def _zone(x: Scale, at: float, *, left: bool, css: str, fill: str) -> str:
    edge = x.clamped(at)
    start, end = (LEFT, edge) if left else (edge, RIGHT)
    return (
        f'<rect class="{css}-zone" x="{coord(start)}" y="18" width="{coord(max(end - start, 0))}"'
        f' height="{AXIS_Y - 18}" fill="{fill}" fill-opacity=".8"/>'
    )


def _marker(x: Scale, at: float, name: str, colour: str, *, dashed: bool = False) -> str:
    position = coord(x.clamped(at))
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (
        f'<line class="marker" x1="{position}" x2="{position}" y1="14" y2="{AXIS_Y}" '
        f'stroke="{colour}" stroke-width="1.5"{dash}/>'
        f'<text x="{position}" y="11" text-anchor="middle" fill="{colour}">{name}</text>'
    )
