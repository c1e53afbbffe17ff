"""A sparkline of main's recent history in Unicode blocks, for a pull-request comment.

GitHub renders no image that is not hosted somewhere, and rungate hosts nothing; eight
block characters are text, so the picture travels wherever the comment goes.
"""

from __future__ import annotations

from dataclasses import dataclass

from gate.report.pictures.svg_canvas import finite
from gate.result import MetricResult

BLOCKS = "▁▂▃▄▅▆▇█"
RECENT_COMMITS = 20


@dataclass(frozen=True)
class Sparkline:
    """``history``: a block per recent commit of main, oldest first; ``candidate``: one
    block for the candidate's mean on the same scale, which runs ``low`` to ``high``."""

    history: str
    candidate: str
    commits: int
    low: float
    high: float


def blocks(values: list[float], low: float, high: float) -> str:
    """Each value as the block of its height between ``low`` and ``high``."""
    if high <= low:
        return BLOCKS[len(BLOCKS) // 2 - 1] * len(values)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[round((value - low) / (high - low) * top)] for value in values)


def recent_history(metric: MetricResult, commits: int = RECENT_COMMITS) -> Sparkline | None:
    """The sparkline of the metric's last ``commits`` recorded commits, or None without
    history or without a candidate mean."""
    recent = [p.mean for p in metric.picture.trend[-commits:] if finite(p.mean) is not None]
    candidate = finite(metric.candidate.mean)
    if not recent or candidate is None:
        return None
    low, high = min(*recent, candidate), max(*recent, candidate)
    line = blocks([*recent, candidate], low, high)
    return Sparkline(line[:-1], line[-1], len(recent), low, high)
