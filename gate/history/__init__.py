"""Main's recorded history, read purely: per-commit series of a metric, the shifts
(change points) in them, and where a baseline window should start.

Everything here takes ``CommitRuns`` (oldest first) and the policy, and returns
frozen data; the history stores that read and write records are edges elsewhere.
"""

from __future__ import annotations

from gate.history.baseline_window import WindowShifts, describe_shift, window_note, window_shifts
from gate.history.changepoints import (
    ChangePoint,
    Shift,
    change_points,
    detect_shifts,
    shift_commits,
    t_test_p,
)
from gate.history.commit_values import CommitSeries, commit_series

__all__ = [
    "ChangePoint",
    "CommitSeries",
    "Shift",
    "WindowShifts",
    "change_points",
    "commit_series",
    "describe_shift",
    "detect_shifts",
    "shift_commits",
    "t_test_p",
    "window_note",
    "window_shifts",
]
