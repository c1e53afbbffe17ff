"""The pure core: a policy and two run sets in, a ``GateResult`` out.

No files, no network, no printing: everything here is a function of its
arguments, so every verdict can be tested directly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from gate.model import RunSet, format_number
from gate.params import param_differences
from gate.policy import MetricPolicy, Policy
from gate.result import GateResult, MetricResult, SideSummary, Verdict
from gate.stats import Comparison, StatSettings, compare
from gate.yamldoc import did_you_mean

MIN_RUNS = 2  # a side needs a spread to be tested


def decide(policy: Policy, candidate: RunSet, baseline: RunSet) -> GateResult:
    metrics = tuple(judge_metric(spec, candidate, baseline) for spec in policy.metrics)
    declared = {spec.name for spec in policy.metrics}
    ungated = sorted(candidate.metric_names() - declared)
    notes = []
    if ungated:
        shown = ", ".join(ungated[:10]) + (
            f" and {len(ungated) - 10} more" if len(ungated) > 10 else ""
        )
        notes.append(f"not gated (not in the policy): {shown}")
    return GateResult(
        metrics=metrics,
        alpha=policy.alpha,
        candidate=candidate.description,
        baseline=baseline.description,
        candidate_runs=len(candidate.runs),
        baseline_runs=len(baseline.runs),
        param_differences=param_differences(candidate.runs, baseline.runs),
        notes=tuple(notes),
    )


def judge_metric(spec: MetricPolicy, candidate: RunSet, baseline: RunSet) -> MetricResult:
    cand_all = candidate.values(spec.name)
    base_all = baseline.values(spec.name)
    cand, base = _finite(cand_all), _finite(base_all)
    cand_side, base_side = _summary(cand_all), _summary(base_all)
    result = MetricResult(
        name=spec.name,
        direction=spec.direction,
        verdict=Verdict.PASS,
        alpha=spec.alpha,
        baseline=base_side,
        candidate=cand_side,
        at_least=spec.at_least,
        at_most=spec.at_most,
        tolerance_spec=spec.tolerance.spec,
    )
    if not cand_all:
        hint = did_you_mean(spec.name, candidate.metric_names())
        return replace(
            result,
            verdict=Verdict.MISSING,
            reasons=(f"no candidate run reports {spec.name!r}{hint}",),
        )

    # Failures that need no comparison with the baseline come first.
    reasons: list[str] = []
    notes: list[str] = []
    if cand_side.non_finite:
        what = f"{cand_side.non_finite} of {len(cand_all)} candidate values are NaN or infinite"
        if spec.non_finite == "fail":
            reasons.append(
                f"{what}: a diverged run counts as a regression "
                "(`non_finite: ignore` drops such values)"
            )
        else:
            notes.append(f"{what}; ignored (`non_finite: ignore`)")
    if base_side.non_finite:
        notes.append(
            f"{base_side.non_finite} of {len(base_all)} baseline values are NaN or "
            "infinite; left out of the baseline"
        )
    breach = _limit_breach(spec, cand_side.mean)
    if breach:
        reasons.append(breach)
    failed = bool(reasons)

    if base_side.mean is None:
        return replace(
            result,
            verdict=Verdict.REGRESSION if failed else Verdict.NO_BASELINE,
            reasons=(
                *reasons,
                f"no baseline run reports {spec.name!r} with a finite value: "
                "only its limits can be checked",
            ),
            notes=tuple(notes),
        )
    tolerance = spec.tolerance.absolute(base_side.mean)
    delta, delta_pct = _differences(cand_side, base_side)
    result = replace(result, tolerance=tolerance, delta=delta, delta_pct=delta_pct)
    if len(cand) < MIN_RUNS or len(base) < MIN_RUNS:
        return replace(
            result,
            verdict=Verdict.REGRESSION if failed else Verdict.INSUFFICIENT,
            reasons=(
                *reasons,
                f"a test needs at least {MIN_RUNS} finite values a side; the "
                f"candidate has {len(cand)} and the baseline {len(base)}",
            ),
            notes=tuple(notes),
        )

    # Tests see higher-is-better values; the report shows the metric's own units.
    sign = 1.0 if spec.higher_is_better else -1.0
    comparison = compare(
        spec.test,
        sign * np.asarray(cand),
        sign * np.asarray(base),
        StatSettings(tolerance=tolerance, alpha=spec.alpha, resamples=spec.resamples),
    )
    low, high = sorted((sign * comparison.low, sign * comparison.high))
    verdict, reason = _verdict(comparison, spec, tolerance)
    return replace(
        result,
        verdict=Verdict.REGRESSION if failed else verdict,
        test=comparison.test,
        ci_low=_finite_or_none(low),
        ci_high=_finite_or_none(high),
        ci_level=1.0 - 2.0 * spec.alpha,
        p_value=comparison.p_worse,
        p_improvement=comparison.p_better,
        reasons=(*reasons, reason) if reason else tuple(reasons),
        notes=(*notes, *comparison.notes),
    )


def _verdict(
    comparison: Comparison, spec: MetricPolicy, tolerance: float
) -> tuple[Verdict, str | None]:
    level = f"{(1 - spec.alpha) * 100:g}%"
    limit = format_number(-tolerance if spec.higher_is_better else tolerance)
    if comparison.p_worse <= spec.alpha:
        bound = comparison.high if spec.higher_is_better else -comparison.high
        side = "below" if spec.higher_is_better else "above"
        return Verdict.REGRESSION, (
            f"worse by more than the tolerance: p = {comparison.p_worse:.3g} <= alpha "
            f"{spec.alpha:g}; even the {level} confidence bound of the change, "
            f"{format_number(bound)}, lies {side} {limit}"
        )
    if comparison.p_better <= spec.alpha:
        return Verdict.IMPROVEMENT, (
            f"better: p = {comparison.p_better:.3g} <= alpha {spec.alpha:g}"
        )
    if comparison.delta < -tolerance:
        return Verdict.INCONCLUSIVE, (
            f"the mean change is beyond the tolerance ({limit}) but not significantly "
            f"(p = {comparison.p_worse:.3g} > alpha {spec.alpha:g}); more runs would tell"
        )
    return Verdict.PASS, None


def _limit_breach(spec: MetricPolicy, mean: float | None) -> str | None:
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


def _finite(values: Sequence[float]) -> list[float]:
    return [value for value in values if math.isfinite(value)]


def _summary(values: Sequence[float]) -> SideSummary:
    finite = _finite(values)
    if not finite:
        return SideSummary(n=0, mean=None, sd=None, non_finite=len(values))
    array = np.asarray(finite)
    sd = float(array.std(ddof=1)) if array.size >= 2 else None
    return SideSummary(
        n=array.size, mean=float(array.mean()), sd=sd, non_finite=len(values) - len(finite)
    )


def _differences(cand: SideSummary, base: SideSummary) -> tuple[float | None, float | None]:
    """Candidate minus baseline mean, absolute and in percent of the baseline mean."""
    if cand.mean is None or base.mean is None:
        return None, None
    delta = cand.mean - base.mean
    return delta, (delta / abs(base.mean) * 100 if base.mean != 0 else None)


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None
