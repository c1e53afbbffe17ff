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
from gate.model import CommitRuns, Run
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


@dataclass(frozen=True)
class Commit:
    """A commit's place in the history (its first record) and the runs of all its records."""

    commit: str
    position: int
    runs: tuple[Run, ...]


def by_commit(history: Sequence[CommitRuns]) -> tuple[Commit, ...]:
    """The history's commits in order, a commit recorded twice once with both run sets."""
    found: dict[str, Commit] = {}
    for position, record in enumerate(history):
        known = found.get(record.commit)
        runs = record.runs if known is None else (*known.runs, *record.runs)
        found[record.commit] = Commit(
            record.commit, position if known is None else known.position, runs
        )
    return tuple(found.values())  # dicts keep the order of first insertion


def commit_series(history: Sequence[CommitRuns], spec: MetricPolicy) -> CommitSeries:
    """The metric ``spec.name`` per commit of ``history`` (oldest first)."""
    return series_of(by_commit(history), spec)


def series_of(commits: Sequence[Commit], spec: MetricPolicy) -> CommitSeries:
    """``commit_series`` of commits grouped once (``by_commit``) for many metrics."""
    kept: list[tuple[Commit, list[float]]] = []
    for commit in commits:
        values = [run_value(run, spec) for run in commit.runs]
        finite = [value for value in values if value is not None and math.isfinite(value)]
        if finite:
            kept.append((commit, finite))
    return CommitSeries(
        metric=spec.name,
        commits=tuple(commit.commit for commit, _ in kept),
        positions=tuple(commit.position for commit, _ in kept),
        means=np.array([_mean(values) for _, values in kept], dtype=float),
        counts=tuple(len(values) for _, values in kept),
    )


def _mean(values: list[float]) -> float:
    if len(values) == 1:
        return values[0]
    count = len(values)
    return sum(value / count for value in values)  # no sum of huge values can overflow
