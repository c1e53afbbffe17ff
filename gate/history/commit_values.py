"""A metric's value per recorded commit: what change points are looked for in.

Each commit counts once, by the mean of its runs' values (a run's value drawn
as ``rungate check`` draws it: the metric's ``aggregate`` of a step history,
the mean of per-example scores). The runs of a commit are not independent of
each other the way commits are: a commit may differ a little from its
neighbours beyond run-to-run noise, so the confirming test compares commits,
and more runs a commit serve it by making each commit's mean less noisy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gate.history.energy import Values
from gate.model import CommitRuns
from gate.policy import MetricPolicy
from gate.samples import run_value


@dataclass(frozen=True)
class CommitSeries:
    """One metric over the commits that have a finite value of it, oldest first.

    ``positions[i]`` is the index in the history (the ``CommitRuns`` given) of the
    first record of ``commits[i]``; a commit recorded twice counts once, with the
    runs of both records. ``counts[i]`` is the number of finite run values behind
    ``means[i]``; diverged (non-finite) values are left out of the mean.
    """

    metric: str
    commits: tuple[str, ...]
    positions: tuple[int, ...]
    means: Values
    counts: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.commits)


def commit_series(history: Sequence[CommitRuns], spec: MetricPolicy) -> CommitSeries:
    """The metric ``spec.name`` per commit of ``history`` (oldest first)."""
    order: list[str] = []
    first: dict[str, int] = {}
    found: dict[str, list[float]] = {}
    for position, record in enumerate(history):
        if record.commit not in first:
            first[record.commit] = position
            found[record.commit] = []
            order.append(record.commit)
        for run in record.runs:
            value = run_value(run, spec)
            if value is not None and math.isfinite(value):
                found[record.commit].append(value)
    kept = [commit for commit in order if found[commit]]
    return CommitSeries(
        metric=spec.name,
        commits=tuple(kept),
        positions=tuple(first[commit] for commit in kept),
        means=np.array([_mean(found[commit]) for commit in kept], dtype=float),
        counts=tuple(len(found[commit]) for commit in kept),
    )


def _mean(values: list[float]) -> float:
    array = np.asarray(values, dtype=float)
    scale = float(np.max(np.abs(array))) or 1.0  # huge values must not overflow the sum
    return float((array / scale).mean() * scale)
