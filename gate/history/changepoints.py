"""Change points in a metric's recorded history: E-divisive means, confirmed by a test.

The method is Hunter's (Fleming et al. 2023), after Matteson and James (2014):

1. **Candidates.** In a segment of the history, the split of largest energy
   statistic ``Q`` (``gate.history.energy``) is the candidate, with at least
   ``min_commits`` commits on each side (the right part may end early, at
   ``kappa``, where an excursion came back).
2. **Confirmation.** The candidate stands when Student's t-test of the commits'
   means before it and from it to ``kappa`` gives a two-sided p at most
   ``shifts.p`` and the means differ by at least ``shifts.min_change``. Then both
   sides are searched again (binary segmentation); a segment whose candidate
   fails is left whole. A candidate at the newest place a shift may have (exactly
   ``min_commits`` commits before the end) waits for the next commit: the search
   cannot place it later, so a step among the newest commits would be reported
   a commit or two early (measured: at a 2 SD step with 5 runs a commit, 1% of
   first reports named the step's own commit without the wait, 93% with it).
3. **Pruning.** Each change point is tested again against its neighbours (the
   commits from the previous change point to the next), and the weakest one that
   no longer passes is dropped, until all pass. The figures a shift is reported
   with (before, after, p) are these final ones.

The t-test stands in for the permutation test of Matteson and James: it is
deterministic (no seed, the same shifts on every run) and costs O(n) a
candidate. It pools the variance of both sides (the model is a change of the
mean in the same noise): the search picks the most unusual stretch of commits,
and a short stretch whose few values happen to lie close together would make
Welch's separate variance small and its p far too small (measured: 0.40 false
change points per 100 commits of normal noise with Welch, 0.13 pooled, at
``min_commits: 3``). Picking the best split before testing it still makes the
p-value optimistic; ``shifts.p`` defaults to 0.001 and ``min_commits`` to 5 for
that reason, and benchmarks/changepoints.py measures the false change points
left (docs/statistics.md).

Fleming, M. et al. (2023). Hunter: Using change point detection to hunt for
performance regressions. ICPE '23. arXiv:2301.03034. (Hunter, too, replaced the
permutation test with Student's t-test, for the same reason.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from gate.history.commit_values import CommitSeries, by_commit, series_of
from gate.history.energy import Values, best_split
from gate.model import CommitRuns
from gate.policy import MetricPolicy
from gate.policy.shift_settings import ShiftSettings


@dataclass(frozen=True)
class Shift:
    """A change of a metric's level at ``commit`` (the first commit at the new level).

    ``index`` is the commit's position in the history given to ``detect_shifts``
    (its first record there); ``previous`` the last commit at the old level. The
    means are over the commits from the previous shift (or the start) to this
    one, and from this one to the next (or the end): ``before_commits`` and
    ``after_commits`` of them. ``p`` is the t-test's two-sided p-value of the two.
    """

    metric: str
    commit: str
    index: int
    previous: str
    before_mean: float
    after_mean: float
    p: float
    before_commits: int
    after_commits: int
    # the change goes the metric's bad way; None when its direction is left to evaluation
    # logs, which main's recorded history does not keep
    worse: bool | None

    @property
    def way(self) -> str:
        """``worse`` or ``better``; ``higher`` or ``lower`` when the direction is unknown."""
        if self.worse is None:
            return "higher" if self.after_mean > self.before_mean else "lower"
        return "worse" if self.worse else "better"

    @property
    def change(self) -> float:
        return self.after_mean - self.before_mean

    @property
    def relative_change(self) -> float | None:
        """The change as a fraction of the mean before it (None when that is 0)."""
        return self.change / abs(self.before_mean) if self.before_mean != 0 else None


@dataclass(frozen=True)
class ChangePoint:
    """A change point at ``values[index]`` (the first value at the new level)."""

    index: int
    before_mean: float
    after_mean: float
    p: float
    before_count: int
    after_count: int


def detect_shifts(
    history: Sequence[CommitRuns], metrics: Sequence[MetricPolicy], settings: ShiftSettings
) -> tuple[Shift, ...]:
    """The shifts of every metric in ``history`` (oldest first), metric by metric in the
    order given, each metric's in commit order."""
    found: list[Shift] = []
    commits = by_commit(history)
    for spec in metrics:
        found.extend(series_shifts(series_of(commits, spec), spec, settings))
    return tuple(found)


def shift_commits(shifts: Iterable[Shift]) -> dict[str, tuple[str, ...]]:
    """Each metric's shifts as their first commits, in order: the shape the pictures
    mark (``gate.picture.with_shifts``, ``run_dashboard(shifts=...)``)."""
    commits: dict[str, list[str]] = {}
    for shift in shifts:
        commits.setdefault(shift.metric, []).append(shift.commit)
    return {metric: tuple(found) for metric, found in commits.items()}


def series_shifts(
    series: CommitSeries, spec: MetricPolicy, settings: ShiftSettings
) -> tuple[Shift, ...]:
    """The shifts of one metric's per-commit series."""
    shifts = []
    for point in change_points(series.means, settings):
        lower = point.after_mean < point.before_mean
        shifts.append(
            Shift(
                metric=series.metric,
                commit=series.commits[point.index],
                index=series.positions[point.index],
                previous=series.commits[point.index - 1],
                before_mean=point.before_mean,
                after_mean=point.after_mean,
                p=point.p,
                before_commits=point.before_count,
                after_commits=point.after_count,
                worse=None if spec.direction is None else lower == spec.higher_is_better,
            )
        )
    return tuple(shifts)


def change_points(values: Values, settings: ShiftSettings) -> tuple[ChangePoint, ...]:
    """The confirmed change points of a sequence of finite values, in order."""
    size = settings.min_commits
    points: set[int] = set()
    pending = [(0, values.size)]
    while pending:  # binary segmentation: every confirmed split is searched again
        start, end = pending.pop()
        split = best_split(values[start:end], size)
        if split is None:
            continue
        cut, stop = start + split.tau, start + split.kappa
        if cut == values.size - size:
            # The newest place a shift may have: the level may have changed among the
            # newest commits, too few to show where. Wait for the next commit rather
            # than report a shift a commit or two early.
            continue
        left, right = values[start:cut], values[cut:stop]
        if _confirmed(left, right, t_test_p(left, right), settings) is not None:
            points.add(cut)
            pending += [(start, cut), (cut, end)]
    while True:
        judged = _judged(values, sorted(points), settings)
        failed = [(p, index) for index, (p, point) in judged.items() if point is None]
        if not failed:
            return tuple(point for _, (_, point) in sorted(judged.items()) if point is not None)
        points.discard(max(failed)[1])  # the weakest goes first; its neighbours merge


def _judged(
    values: Values, points: list[int], settings: ShiftSettings
) -> dict[int, tuple[float, ChangePoint | None]]:
    """Each change point's p against its neighbours, and the point where it passes."""
    bounds = [0, *points, values.size]
    judged: dict[int, tuple[float, ChangePoint | None]] = {}
    for before, point, after in zip(bounds, bounds[1:], bounds[2:], strict=False):
        left, right = values[before:point], values[point:after]
        p = t_test_p(left, right)
        passed = _confirmed(left, right, p, settings)
        judged[point] = (
            p,
            None
            if passed is None
            else ChangePoint(point, passed[0], passed[1], p, left.size, right.size),
        )
    return judged


def _confirmed(
    left: Values, right: Values, p: float, settings: ShiftSettings
) -> tuple[float, float] | None:
    """The two means when the change (of t-test p-value ``p``) is significant and large
    enough, else None."""
    if p > settings.p:
        return None
    before, after = _mean(left), _mean(right)
    change = abs(after - before)
    least = settings.min_change.absolute(before)
    if change == 0.0 or change < least or not math.isfinite(change):
        return None
    return before, after


def t_test_p(left: Values, right: Values) -> float:
    """Student's two-sided p-value for a difference of means, with the variance pooled
    over both sides (two values a side or more). No spread at all: 0 when the means
    differ, 1 when they are equal."""
    scale = float(max(np.max(np.abs(left)), np.max(np.abs(right)))) or 1.0
    x, y = left / scale, right / scale  # so that squares of huge values cannot overflow
    df = x.size + y.size - 2
    pooled = (float(x.var(ddof=1)) * (x.size - 1) + float(y.var(ddof=1)) * (y.size - 1)) / df
    delta = float(y.mean() - x.mean())
    se = math.sqrt(pooled * (1 / x.size + 1 / y.size))
    if se == 0.0:
        return 0.0 if delta != 0.0 else 1.0
    from scipy import special  # about 0.3 s; scipy.stats would cost over a second

    return float(2 * special.stdtr(df, -abs(delta) / se))


def _mean(values: Values) -> float:
    scale = float(np.max(np.abs(values))) or 1.0
    return float((values / scale).mean() * scale)
