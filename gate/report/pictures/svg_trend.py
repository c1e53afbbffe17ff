"""Main's history of one metric as an inline SVG: a mean per recorded commit, oldest on
the left, aggregated per pixel column when there are more commits than columns; detected
shifts as dashed lines with the level of each stretch between them; optionally, on the
right, the candidate's runs and the interval of its change, with the tolerance line
drawn across.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from gate.report.pictures.column_bins import ColumnBin, bin_columns
from gate.report.pictures.svg_canvas import (
    CANDIDATE_COLOUR,
    FAIL_COLOUR,
    SHIFT_COLOUR,
    TREND_COLOUR,
    Scale,
    attr,
    coord,
    finite,
    label,
    svg_open,
)
from gate.result import TrendPoint

PIXELS_PER_COLUMN = 5  # in a report; the dashboard's small charts use 3
SHORT_SHA = 8


@dataclass(frozen=True)
class CandidateMark:
    """The candidate beside the trend: its runs, mean and change interval (see svg_runs)."""

    values: tuple[float, ...]
    mean: float | None
    interval: tuple[float, float] | None
    failing: bool


@dataclass(frozen=True)
class Guide:
    """A horizontal line across the chart: the tolerance line or a limit."""

    value: float
    name: str  # our words, not run data
    colour: str


def short(commit: str) -> str:
    return commit[:SHORT_SHA]


def trend_svg(
    name: str,
    points: Sequence[TrendPoint],
    *,
    shifts: Sequence[str] = (),
    size: tuple[int, int] = (560, 170),
    link: Callable[[str], str] | None = None,
    candidate: CandidateMark | None = None,
    guides: Sequence[Guide] = (),
    pixels_per_column: int = PIXELS_PER_COLUMN,
) -> str:
    """The chart, or "" when there is no recorded commit to draw."""
    points = [point for point in points if finite(point.mean) is not None]
    if not points:
        return ""
    width, height = size
    left, top, bottom = 46, 8, height - 16
    right = width - (58 if candidate else 8)
    means = [point.mean for point in points]
    bins = bin_columns(means, int(right - left) // pixels_per_column)
    guides = [guide for guide in guides if finite(guide.value) is not None]
    extra = [guide.value for guide in guides]
    if candidate:
        extra += [*candidate.values, *(candidate.interval or ())]
        extra += [] if candidate.mean is None else [candidate.mean]
    extra = [value for value in extra if finite(value) is not None]
    y = Scale.over([*(b.low for b in bins), *(b.high for b in bins), *extra], bottom, top)
    x = Scale(-0.5, len(points) - 0.5, left, right)
    parts = [svg_open(width, height, f"{name}: main's trend", "trend")]
    for tick in y.ticks(4):
        parts.append(
            f'<line x1="{left}" x2="{width - 4}" y1="{coord(y(tick))}" y2="{coord(y(tick))}" '
            f'stroke="currentColor" stroke-opacity=".12"/><text x="{left - 4}" '
            f'y="{coord(y(tick) + 4)}" text-anchor="end" fill="currentColor">{label(tick)}</text>'
        )
    parts.append(
        f'<text x="{left}" y="{height - 3}" fill="currentColor">{attr(short(points[0].commit))}'
        f'</text><text x="{coord(right)}" y="{height - 3}" text-anchor="end" '
        f'fill="currentColor">{attr(short(points[-1].commit))}</text>'
    )
    for guide in guides:
        at = coord(y.clamped(guide.value))
        parts.append(
            f'<line class="guide" x1="{left}" x2="{width - 4}" y1="{at}" y2="{at}" '
            f'stroke="{guide.colour}" stroke-dasharray="4 3"><title>{guide.name}</title></line>'
        )
    parts.extend(_shifts(points, shifts, x, y))
    parts.extend(_series(points, bins, x, y, link, min(pixels_per_column - 1, 3)))
    if candidate:
        parts.extend(_candidate(candidate, right + 29, y))
    parts.append("</svg>")
    return "".join(parts)


def _series(
    points: Sequence[TrendPoint],
    bins: Sequence[ColumnBin],
    x: Scale,
    y: Scale,
    link: Callable[[str], str] | None,
    band_width: int,
) -> list[str]:
    centres = [x((b.first + b.last) / 2) for b in bins]
    band = "".join(
        f"M{coord(cx)} {coord(y(b.low))}V{coord(y(b.high))}"
        for cx, b in zip(centres, bins, strict=True)
        if b.high > b.low
    )
    parts = []
    if band:
        parts.append(
            f'<path class="band" d="{band}" stroke="{TREND_COLOUR}" stroke-opacity=".35" '
            f'stroke-width="{band_width}"/>'
        )
    line = " ".join(f"{coord(cx)},{coord(y(b.mean))}" for cx, b in zip(centres, bins, strict=True))
    parts.append(
        f'<polyline class="line" points="{line}" fill="none" stroke="{TREND_COLOUR}" '
        f'stroke-width="1.2"/>'
    )
    parts.append(f'<g class="commits" fill="{TREND_COLOUR}">')
    for cx, b in zip(centres, bins, strict=True):
        newest = points[b.last]
        if b.count == 1:
            title = f"{short(newest.commit)}: {label(b.mean)} ({newest.runs} runs)"
        else:
            title = (
                f"{short(points[b.first].commit)}…{short(newest.commit)} ({b.count} commits): "
                f"mean {label(b.mean)}, {label(b.low)} to {label(b.high)}"
            )
        dot = (
            f'<circle cx="{coord(cx)}" cy="{coord(y(b.mean))}" r="2.2">'
            f"<title>{attr(title)}</title></circle>"
        )
        if link is not None:
            dot = f'<a href="{attr(link(newest.commit), 2000)}">{dot}</a>'
        parts.append(dot)
    parts.append("</g>")
    return parts


def _shifts(points: Sequence[TrendPoint], shifts: Sequence[str], x: Scale, y: Scale) -> list[str]:
    """A dashed line before each shift's first commit, and each stretch's level."""
    where = {point.commit: index for index, point in enumerate(points)}
    starts = sorted({where[commit] for commit in shifts if where.get(commit, 0) > 0})
    if not starts:
        return []
    parts = []
    for start in starts:
        at = coord(x(start - 0.5))
        parts.append(
            f'<line class="shift" x1="{at}" x2="{at}" y1="{coord(y.start)}" y2="{coord(y.end)}" '
            f'stroke="{SHIFT_COLOUR}" stroke-width="1.5" stroke-dasharray="5 3">'
            f"<title>shift at {attr(short(points[start].commit))}</title></line>"
        )
    edges = [0, *starts, len(points)]
    for first, end in pairwise(edges):
        level = coord(y(sum(p.mean for p in points[first:end]) / (end - first)))
        parts.append(
            f'<line class="level" x1="{coord(x(first - 0.5))}" x2="{coord(x(end - 0.5))}" '
            f'y1="{level}" y2="{level}" stroke="{SHIFT_COLOUR}" stroke-width="1.5"/>'
        )
    return parts


def _candidate(candidate: CandidateMark, cx: float, y: Scale) -> list[str]:
    colour = FAIL_COLOUR if candidate.failing else CANDIDATE_COLOUR
    parts = [
        f'<text x="{coord(cx)}" y="{coord(y.start + 13)}" text-anchor="middle" '
        f'fill="currentColor">this</text>'
    ]
    if candidate.interval is not None:
        low, high = sorted(y.clamped(v) for v in candidate.interval)
        parts.append(
            f'<rect class="interval" x="{coord(cx - 7)}" y="{coord(low)}" width="14" '
            f'height="{coord(max(high - low, 1.0))}" rx="3" fill="{colour}" fill-opacity=".18"/>'
        )
    for index, value in enumerate(v for v in candidate.values if finite(v) is not None):
        jitter = (index * 7 % 5 - 2) * 2
        parts.append(
            f'<circle class="run candidate" cx="{coord(cx + jitter)}" cy="{coord(y(value))}" '
            f'r="2.5" fill="{colour}" fill-opacity=".55"/>'
        )
    mean = finite(candidate.mean)
    if mean is not None:
        at = coord(y(mean))
        parts.append(
            f'<line class="mean candidate" x1="{coord(cx - 10)}" x2="{coord(cx + 10)}" '
            f'y1="{at}" y2="{at}" stroke="{colour}" stroke-width="3"/>'
        )
    return parts
