"""The history baseline against the shifts in main's recorded history.

Pooling a window of main's commits across a change of level mixes two populations
(``gate.history.baseline_window``): the report says when the window spans a shift,
and with ``since_change: true`` the baseline keeps only the commits from the latest
such shift on. The shifts found are also what the pictures mark. This runs on the
loaded baseline, before the core decides; detection itself is pure
(``gate.history``).
"""

from __future__ import annotations

from dataclasses import replace

from gate.history import detect_shifts, shift_commits, window_note, window_shifts
from gate.model import RunSet
from gate.policy import Policy
from gate.policy.recorded import HistorySpec
from gate.sources.history.ancestry import pooled_runs
from gate.sources.selection import select_runs

ShiftCommits = dict[str, tuple[str, ...]]  # metric name -> the first commit after each shift


def against_shifts(policy: Policy, baseline: RunSet) -> tuple[RunSet, ShiftCommits]:
    """The baseline (narrowed with ``since_change``, noted when its window spans a
    shift) and the shifts of each metric in its recorded history."""
    if not baseline.history:
        return baseline, {}
    # A direction left to evaluation logs is the one the baseline's logs give.
    metrics = [
        replace(spec, direction=baseline.directions.get(spec.name))
        if spec.direction is None
        else spec
        for spec in policy.metrics
    ]
    shifts = detect_shifts(baseline.history, metrics, policy.shifts)
    marked = shift_commits(shifts)
    spec = policy.baseline
    if not isinstance(spec, HistorySpec):
        return baseline, marked
    order = list(dict.fromkeys(record.commit for record in baseline.history))
    found = window_shifts(
        order[-spec.window :], shifts, history=order, metrics=set(policy.metric_names)
    )
    note = window_note(found, since_change=spec.since_change)
    if note is None:
        return baseline, marked
    if spec.since_change and found.start > 0:
        kept = set(found.since_change)
        runs = pooled_runs([record for record in baseline.history if record.commit in kept])
        chosen = select_runs(runs, where={}, latest=spec.latest, source=baseline.description)
        baseline = replace(baseline, runs=tuple(chosen))
    return replace(baseline, notes=(*baseline.notes, note)), marked
