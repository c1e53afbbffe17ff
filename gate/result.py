"""What the core decides: one verdict per metric and one for the gate."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from gate.vocabulary import Correction, Direction, Mode, TestName


class Verdict(str, Enum):
    """The verdict on one metric. The values are the names used in every report."""

    MISSING = "missing"  # declared, but no candidate run reports it: fails the gate
    REGRESSION = "regression"  # significantly worse beyond tolerance, or a limit breached: fails
    INCONCLUSIVE = "inconclusive"  # looks worse beyond tolerance, but not significantly
    INSUFFICIENT = "insufficient"  # a side has fewer than 2 usable runs: no test is possible
    NO_BASELINE = "no_baseline"  # no baseline run reports it: only limits can be checked
    PASS = "pass"  # no evidence of a regression beyond tolerance
    IMPROVEMENT = "improvement"  # significantly better

    @property
    def fails_gate(self) -> bool:
        """Whether this verdict fails the gate in the default ``detect`` mode."""
        return self in (Verdict.MISSING, Verdict.REGRESSION)

    @property
    def severity(self) -> int:
        """Lower is worse; reports list metrics worst first."""
        return list(Verdict).index(self)


@dataclass(frozen=True)
class SideSummary:
    """Descriptive statistics of one side of one metric, over its finite values."""

    n: int  # finite values used
    mean: float | None
    sd: float | None
    non_finite: int = 0  # NaN or infinite values seen


class ExampleChange(NamedTuple):
    """One example whose score changed: its mean score on each side (over repeats and runs)."""

    key: str
    baseline: float
    candidate: float
    excerpt: str | None = None  # raw text from a run file: escaped wherever it is shown


@dataclass(frozen=True)
class Unmatched:
    """Examples left out of a keyed pairing, of one kind: how many, and the first few ids."""

    count: int = 0
    first: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExampleEvidence:
    """What a metric paired by example key found, example by example (``gate.examples``).

    ``changes`` lists every example whose mean score differs between the sides, the
    worst first (by the change in the metric's direction), held as parallel tuples
    (``changed_*``) because there can be hundreds of thousands; ``shown`` is how many
    of each way the short reports list. ``binary``: one 0/1 score an example a side, so
    ``worse`` and ``better`` count flips. Repeats and runs are the most seen for one
    example on each side; scores are averaged within an example before the test.
    """

    examples: int  # paired examples with a finite score on both sides
    worse: int
    better: int
    binary: bool = False
    candidate_runs: int = 1
    baseline_runs: int = 1
    candidate_repeats: int = 1
    baseline_repeats: int = 1
    total: int = 0  # distinct example keys over both sides
    only_candidate: Unmatched = Unmatched()
    only_baseline: Unmatched = Unmatched()
    duplicated: Unmatched = Unmatched()  # a (key, repeat) seen twice in one run
    hash_mismatch: Unmatched = Unmatched()  # the same key over different inputs
    excluded: int = 0  # distinct keys left out for any of the reasons above
    changed_keys: tuple[str, ...] = ()
    changed_baseline: tuple[float, ...] = ()
    changed_candidate: tuple[float, ...] = ()
    changed_excerpts: tuple[str | None, ...] = ()
    shown: int = 10

    @property
    def unchanged(self) -> int:
        return self.examples - self.worse - self.better

    @property
    def changes(self) -> tuple[ExampleChange, ...]:
        return self._changes(0, len(self.changed_keys))

    def most_worse(self) -> tuple[ExampleChange, ...]:
        return self._changes(0, min(self.shown, self.worse))

    def most_better(self) -> tuple[ExampleChange, ...]:
        end = len(self.changed_keys)
        return tuple(reversed(self._changes(end - min(self.shown, self.better), end)))

    def _changes(self, start: int, stop: int) -> tuple[ExampleChange, ...]:
        return tuple(
            map(
                ExampleChange,
                self.changed_keys[start:stop],
                self.changed_baseline[start:stop],
                self.changed_candidate[start:stop],
                self.changed_excerpts[start:stop],
            )
        )


@dataclass(frozen=True)
class TrendPoint:
    """One recorded commit of main's history, for one metric: the mean of its runs' values."""

    commit: str  # the full SHA
    mean: float  # over the runs' finite values
    runs: int  # how many runs gave a finite value


@dataclass(frozen=True)
class MetricPicture:
    """What the pictures of one metric are drawn from; empty where nothing is known.

    ``candidate`` and ``baseline`` are the finite values the test compared (one per run,
    or per pair), in the samples' order, not kept for per-example scores. ``trend`` is
    main's recorded history, oldest first; ``shifts`` the commits of that history where
    change-point detection found the metric to have shifted.
    """

    candidate: tuple[float, ...] = ()
    baseline: tuple[float, ...] = ()
    trend: tuple[TrendPoint, ...] = ()
    shifts: tuple[str, ...] = ()


@dataclass(frozen=True)
class MetricResult:
    """The judgement on one metric.

    Differences are candidate minus baseline in the metric's own units; which
    sign is worse follows ``direction``. ``ci_low``/``ci_high`` form a
    two-sided interval at ``ci_level`` = 1 - 2*alpha, so each end is a
    one-sided (1 - alpha) bound: the regression test and the improvement test
    each look at one end.
    """

    name: str
    direction: Direction
    verdict: Verdict
    baseline: SideSummary
    candidate: SideSummary
    alpha: float
    mode: Mode = Mode.DETECT
    fails_gate: bool = False  # in noninferiority mode, anything short of proof fails
    test: TestName | None = None
    paired_by: str | None = None  # the pairing field, or "example"
    pairs: int | None = None  # how many pairs the paired test compared
    delta: float | None = None
    delta_pct: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_level: float | None = None
    # When the interval is about something other than the difference of means (a rank
    # test's location shift, a difference of medians): that estimate, and its name.
    estimate: float | None = None
    estimate_name: str | None = None
    unit: str | None = None  # of the values, when the source knows it ("s")
    p_value: float | None = None  # one-sided: worse than the tolerance
    p_improvement: float | None = None  # one-sided: better than the baseline
    p_noninferior: float | None = None  # one-sided: not worse than the tolerance
    # The same after the correction across the gate's metrics: these decide the verdict.
    p_adjusted: float | None = None
    p_improvement_adjusted: float | None = None
    p_noninferior_adjusted: float | None = None
    correction: Correction = Correction.NONE
    detectable_drop: float | None = None  # smallest worsening caught with 80% power
    runs_needed: int | None = None  # runs a side to catch a drop of twice the tolerance
    tolerance: float | None = None  # absolute, in the metric's units
    tolerance_spec: str | None = None  # as the policy wrote it: "0.01" or "5%"
    at_least: float | None = None
    at_most: float | None = None
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    examples: ExampleEvidence | None = None  # paired by example key (evaluation logs)
    picture: MetricPicture = MetricPicture()


@dataclass(frozen=True)
class ParamDifference:
    """A run parameter whose values differ between the two sides."""

    name: str
    baseline: tuple[str, ...]
    candidate: tuple[str, ...]


@dataclass(frozen=True)
class GateResult:
    """The whole judgement: ``passed`` is False when any metric fails the gate."""

    metrics: tuple[MetricResult, ...]
    alpha: float
    candidate: str
    baseline: str
    candidate_runs: int
    baseline_runs: int
    run_word: str = "run"  # what one run of the sides is ("round" for pytest-benchmark)
    param_differences: tuple[ParamDifference, ...] = ()
    notes: tuple[str, ...] = ()
    correction: Correction = Correction.NONE

    @property
    def passed(self) -> bool:
        return not any(metric.fails_gate for metric in self.metrics)

    @property
    def verdict(self) -> str:
        return "pass" if self.passed else "fail"

    def count(self, verdict: Verdict) -> int:
        return sum(1 for metric in self.metrics if metric.verdict is verdict)

    def worst_first(self) -> list[MetricResult]:
        """Metrics ordered by verdict severity; the policy's order within a verdict."""
        return sorted(self.metrics, key=lambda metric: metric.verdict.severity)
