"""The words of the decision: from a tested metric's p-values to its verdict and reason.

The rules (see docs/statistics.md), with p-values after the correction:

- detect (default): ``regression`` when p_worse <= alpha, ``improvement`` when
  p_better <= alpha, ``inconclusive`` when the estimate is worse than the
  tolerance without significance, else ``pass``;
- noninferiority: ``regression`` and ``improvement`` as above, ``pass`` only
  when p_noninferior <= alpha (proven not worse than the tolerance), else
  ``inconclusive``, which then fails the gate.
"""

from __future__ import annotations

from dataclasses import dataclass

from gate.model import format_number, replace
from gate.policy import MetricPolicy
from gate.result import MetricResult, Verdict
from gate.stats import Comparison
from gate.stats.power import detectable_drop, runs_needed
from gate.stats.ranks import runs_to_reach
from gate.vocabulary import PAIR_BY_EXAMPLE, Correction, Direction, Mode, Statistic, TestName

MIN_REPLICATES = 2  # runs on one side that give a spread, and so a test


@dataclass(frozen=True)
class Measurement:
    """A metric before correction: its result so far, and the test to correct, if any."""

    result: MetricResult
    comparison: Comparison | None = None
    failed: bool = False  # a limit breach or a diverged run: fails whatever the test says
    runs: float = 0.0  # runs (or pairs) a side behind the comparison, for power figures


def judge(
    measurement: Measurement,
    p_worse: float,
    p_better: float,
    p_noninferior: float,
    *,
    correction: Correction,
    family: int,
) -> MetricResult:
    """The verdict of a tested metric, from its p-values after the correction."""
    result, comparison = measurement.result, measurement.comparison
    assert comparison is not None and result.tolerance is not None
    corrected = correction if family > 1 else Correction.NONE
    result = replace(
        result,
        p_adjusted=p_worse,
        p_improvement_adjusted=p_better,
        p_noninferior_adjusted=p_noninferior,
        correction=corrected,
    )
    if result.mode is Mode.NONINFERIORITY:
        verdict, reason = noninferiority_verdict(
            result, comparison, p_worse, p_better, p_noninferior
        )
    else:
        verdict, reason = test_verdict(result, comparison, p_worse, p_better)
    if measurement.failed:
        verdict = Verdict.REGRESSION
    reasons = (*result.reasons, reason) if reason else result.reasons
    notes = result.notes
    if (
        corrected is not Correction.NONE
        and comparison.floor <= result.alpha < comparison.floor * family
    ):
        notes = (
            *notes,
            f"after the {corrected} correction over {family} metrics this test can flag the "
            f"metric only if others are flagged first (its smallest p is {comparison.floor:.3g})",
        )
    result = replace(result, verdict=verdict, reasons=reasons, notes=notes)
    if verdict is not Verdict.REGRESSION:
        drop, runs = power_figures(result, comparison, measurement.runs, family, corrected)
        result = replace(result, detectable_drop=drop, runs_needed=runs)
    return replace(result, fails_gate=fails(result))


def settled(result: MetricResult, verdict: Verdict, *reasons: str) -> MetricResult:
    """A verdict reached without a test."""
    settled = replace(result, verdict=verdict, reasons=(*result.reasons, *reasons))
    return replace(settled, fails_gate=fails(settled))


def fails(result: MetricResult) -> bool:
    if result.verdict.fails_gate:
        return True
    # Non-inferiority passes only on evidence: anything short of it fails.
    return result.mode is Mode.NONINFERIORITY and result.verdict in (
        Verdict.INCONCLUSIVE,
        Verdict.INSUFFICIENT,
        Verdict.NO_BASELINE,
    )


def interval_estimate(test: TestName | None, statistic: Statistic) -> str | None:
    """What a test's interval is about, when that is not the difference of means."""
    if test is TestName.MANNWHITNEY:
        return "location shift (Hodges-Lehmann)"
    if test is TestName.WILCOXON:
        return "median of the paired differences (Hodges-Lehmann)"
    if test in (TestName.BOOTSTRAP, TestName.PAIRED_BOOTSTRAP) and statistic is not Statistic.MEAN:
        return "difference of medians" if statistic is Statistic.MEDIAN else "difference of IQMs"
    return None


def limit_breach(spec: MetricPolicy, mean: float | None) -> str | None:
    if mean is None:
        return None
    if spec.at_least is not None and mean < spec.at_least:
        return (
            f"the candidate mean {format_number(mean)} is below the floor "
            f"at_least: {format_number(spec.at_least)}"
        )
    if spec.at_most is not None and mean > spec.at_most:
        return (
            f"the candidate mean {format_number(mean)} is above the ceiling "
            f"at_most: {format_number(spec.at_most)}"
        )
    return None


def test_verdict(
    result: MetricResult, comparison: Comparison, p_worse: float, p_better: float
) -> tuple[Verdict, str | None]:
    alpha = result.alpha
    tolerance = result.tolerance or 0.0
    limit = _limit(result)
    if p_worse <= alpha and comparison.margin is not None:
        return Verdict.REGRESSION, (
            f"worse by more than the tolerance ({result.tolerance_spec} of the baseline mean): "
            f"{_p(result, 'p', p_worse)} <= alpha {alpha:g}, testing the candidate against "
            f"{_margin(comparison.margin)} times the baseline (so the uncertainty of the "
            "baseline mean counts too)"
        )
    if p_worse <= alpha:
        level = f"{(1 - alpha) * 100:g}%"
        higher = result.direction is Direction.HIGHER
        bound = comparison.high if higher else -comparison.high
        return Verdict.REGRESSION, (
            f"worse by more than the tolerance: {_p(result, 'p', p_worse)} <= alpha {alpha:g}; "
            f"even the {level} confidence bound of the change, {format_number(bound)}, lies "
            f"{'below' if higher else 'above'} {limit}"
        )
    if p_better <= alpha:
        return Verdict.IMPROVEMENT, f"better: {_p(result, 'p', p_better)} <= alpha {alpha:g}"
    if comparison.delta < -tolerance:
        return Verdict.INCONCLUSIVE, (
            f"the change is beyond the tolerance ({limit}) but not significantly "
            f"({_p(result, 'p', p_worse)} > alpha {alpha:g}); more runs would tell"
        )
    return Verdict.PASS, None


def unreplicated_verdict(result: MetricResult, change: float) -> tuple[Verdict, str]:
    """One run a side: no test is possible, so the change itself meets the tolerance, as a
    tracker's threshold would; worse than the tolerance fails, anything else is unproven.
    ``change`` is oriented: negative is worse."""
    tolerance = result.tolerance or 0.0
    # Rounding of the two values must not put a change exactly at the tolerance beyond it.
    scale = max(abs(result.candidate.mean or 0.0), abs(result.baseline.mean or 0.0), tolerance)
    worse = change < -tolerance - 1e-12 * scale
    shown = format_number(result.delta if result.delta is not None else change)
    what = "worse than" if worse else "within"
    reason = (
        f"unreplicated: one run a side, so no test is possible; the change, {shown}, is "
        f"{what} the tolerance ({_limit(result)}). With {MIN_REPLICATES} or more runs on "
        "either side the gate tests it"
    )
    return (Verdict.REGRESSION if worse else Verdict.INSUFFICIENT), reason


def noninferiority_verdict(
    result: MetricResult,
    comparison: Comparison,
    p_worse: float,
    p_better: float,
    p_noninferior: float,
) -> tuple[Verdict, str | None]:
    verdict, reason = test_verdict(result, comparison, p_worse, p_better)
    if verdict in (Verdict.REGRESSION, Verdict.IMPROVEMENT):
        return verdict, reason
    alpha = result.alpha
    if p_noninferior <= alpha:
        return Verdict.PASS, (
            f"shown not worse than the tolerance ({_limit(result)}): "
            f"p = {p_noninferior:.3g} <= alpha {alpha:g} (every metric must pass, so no "
            "correction is needed)"
        )
    return Verdict.INCONCLUSIVE, (
        f"not shown to be within the tolerance ({_limit(result)}): "
        f"p = {p_noninferior:.3g} > alpha {alpha:g}; non-inferiority mode needs "
        "evidence, so this fails the gate (more runs, or a larger tolerance)"
    )


def power_figures(
    result: MetricResult,
    comparison: Comparison,
    runs: float,
    family: int,
    correction: Correction,
) -> tuple[float | None, int | None]:
    """The smallest drop caught with 80% power, and runs a side for twice the tolerance.

    Under a correction, a single real drop among ``family`` metrics must clear about
    alpha / family, so the figures use that level.
    """
    alpha = result.alpha / family if correction is not Correction.NONE else result.alpha
    if comparison.floor > alpha:
        # An exact test that cannot reach alpha catches no drop, however large: what
        # would help is the number of runs at which it can reach alpha at all.
        return None, runs_to_reach(comparison.test, alpha)
    if comparison.se is None:
        return None, None
    tolerance = result.tolerance or 0.0
    drop = detectable_drop(comparison.se, comparison.df, alpha, tolerance)
    if result.paired_by == PAIR_BY_EXAMPLE:
        return drop, None  # examples, not runs: more runs would not shrink this
    paired = result.paired_by is not None
    return drop, runs_needed(comparison.se, runs, alpha, tolerance, paired=paired)


def _margin(factor: float) -> str:
    """The baseline's factor (0.95 for a 5% drop of a higher-is-better metric, 1.2 for 20%
    of a lower-is-better one): scaling both sides by -1 to orient them leaves it as it is."""
    return format_number(factor)


def _limit(result: MetricResult) -> str:
    tolerance = result.tolerance or 0.0
    return format_number(-tolerance if result.direction is Direction.HIGHER else tolerance)


def _p(result: MetricResult, name: str, value: float) -> str:
    adjusted = " (adjusted)" if result.correction is not Correction.NONE else ""
    return f"{name}{adjusted} = {value:.3g}"
