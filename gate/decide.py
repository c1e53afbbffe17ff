"""The pure core: a policy and two run sets in, a ``GateResult`` out.

No files, no network, no printing: everything here is a function of its
arguments, so every verdict can be tested directly. A metric is judged in
three steps: ``measure`` turns runs into a test result (or a verdict that
needs no test), the p-values of all tested metrics are corrected together,
and ``verdicts.judge`` turns each measurement into a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from gate.errors import RunSetError
from gate.examples.keyed import metric_samples
from gate.matching import check_match, field_differences, logged_direction, ungated
from gate.model import RunSet, replace
from gate.picture import metric_picture
from gate.policy import MetricPolicy, Policy
from gate.policy.yamldoc import did_you_mean
from gate.result import GateResult, MetricResult, Verdict
from gate.samples import finite_sides, mean_change, side_summary
from gate.stats import StatSettings
from gate.stats.correction import adjust
from gate.stats.resampling.batch import measure_batched
from gate.stats.sides import compare_sides
from gate.verdicts import (
    Measurement,
    interval_estimate,
    judge,
    limit_breach,
    settled,
    unreplicated_verdict,
)
from gate.vocabulary import Correction, NonFinite, TestName

MIN_RUNS = 2  # a side needs a spread to be tested
P_VALUES = ("p_worse", "p_better", "p_noninferior")  # the Comparison fields corrected together


def decide(policy: Policy, candidate: RunSet, baseline: RunSet) -> GateResult:
    with _placed(policy.source, "match"):
        check_match(policy.match, candidate.runs, baseline.runs)

    def placed(spec: MetricPolicy) -> Measurement:
        with _placed(policy.source, f"metrics.{spec.name}"):
            return measure(spec, candidate, baseline)

    measured = measure_batched(placed, policy.metrics)  # one bootstrap product for many
    tested = [m for m in measured if m.comparison is not None]
    family = len(tested)
    # Each kind of p-value is corrected across all tested metrics, separately; but not
    # "shown not worse": the gate passes only if every metric is shown so, an
    # intersection-union test that holds its level uncorrected (Berger 1982), where a
    # correction would only cost power.
    columns = [
        adjust(
            [getattr(m.comparison, kind) for m in tested],
            Correction.NONE if kind == "p_noninferior" else policy.correction,
        )
        for kind in P_VALUES
    ]
    judged = {
        id(m): judge(
            m, *(column[i] for column in columns), correction=policy.correction, family=family
        )
        for i, m in enumerate(tested)
    }
    metrics = [judged.get(id(m), m.result) for m in measured]
    return GateResult(
        metrics=tuple(metrics),
        alpha=policy.alpha,
        candidate=candidate.description,
        baseline=baseline.description,
        candidate_runs=len(candidate.runs),
        baseline_runs=len(baseline.runs),
        run_word=candidate.run_word if candidate.run_word == baseline.run_word else "run",
        param_differences=field_differences(candidate.runs, baseline.runs),
        notes=(
            *candidate.notes,
            *baseline.notes,
            *ungated(policy.metric_names, candidate.metric_names()),
        ),
        correction=policy.correction if family > 1 else Correction.NONE,
    )


def measure(spec: MetricPolicy, candidate: RunSet, baseline: RunSet) -> Measurement:
    """Everything about one metric that does not depend on the other metrics."""
    direction = logged_direction(spec.name, spec.direction, baseline)
    spec = replace(spec, direction=direction)
    sides = metric_samples(spec, candidate.runs, baseline.runs)
    cand_side, base_side = side_summary(sides.candidate), side_summary(sides.baseline)
    result = MetricResult(
        name=spec.name,
        direction=direction,
        verdict=Verdict.PASS,
        alpha=spec.alpha,
        mode=spec.mode,
        baseline=base_side,
        candidate=cand_side,
        at_least=spec.at_least,
        at_most=spec.at_most,
        tolerance_spec=spec.tolerance.spec,
        unit=candidate.unit if candidate.unit == baseline.unit else None,
        paired_by=spec.pair_by if sides.paired else None,
        pairs=len(sides.candidate) if sides.paired else None,
        examples=sides.examples,
        picture=metric_picture(spec, sides, baseline.history),
    )
    if not sides.candidate:
        hint = did_you_mean(spec.name, candidate.metric_names())
        return Measurement(
            settled(result, Verdict.MISSING, f"no candidate run reports {spec.name!r}{hint}")
        )

    # Failures that need no comparison with the baseline come first.
    reasons: list[str] = []
    notes: list[str] = list(sides.notes)
    if cand_side.non_finite:
        what = (
            f"{cand_side.non_finite} of {len(sides.candidate)} candidate values are NaN or infinite"
        )
        if spec.non_finite is NonFinite.FAIL:
            reasons.append(
                f"{what}: a diverged run counts as a regression "
                "(`non_finite: ignore` drops such values)"
            )
        else:
            notes.append(f"{what}; ignored (`non_finite: ignore`)")
    if base_side.non_finite:
        notes.append(
            f"{base_side.non_finite} of {len(sides.baseline)} baseline values are NaN or "
            "infinite; left out of the baseline"
        )
    breach = limit_breach(spec, cand_side.mean)
    if breach:
        reasons.append(breach)
    failed = bool(reasons)
    result = replace(result, notes=tuple(notes))

    if base_side.mean is None:
        reason = (
            f"no baseline run reports {spec.name!r} with a finite value: "
            "only its limits can be checked"
        )
        verdict = Verdict.REGRESSION if failed else Verdict.NO_BASELINE
        return Measurement(settled(result, verdict, *reasons, reason))
    tolerance = spec.tolerance.absolute(base_side.mean)
    delta, delta_pct = mean_change(cand_side, base_side)
    result = replace(result, tolerance=tolerance, delta=delta, delta_pct=delta_pct)

    cand, base = finite_sides(sides.candidate, sides.baseline, paired=sides.paired)
    if not cand or not base:
        reason = (
            f"a paired test needs at least {MIN_RUNS} pairs with finite values; there are none"
            if sides.paired
            else "a side has no finite value to compare"
        )
        verdict = Verdict.REGRESSION if failed else Verdict.INSUFFICIENT
        return Measurement(settled(result, verdict, *reasons, reason))

    # Tests see higher-is-better values; the report shows the metric's own units.
    sign = 1.0 if spec.higher_is_better else -1.0
    if len(cand) == 1 and len(base) == 1:
        verdict, reason = unreplicated_verdict(result, sign * (cand[0] - base[0]))
        return Measurement(
            settled(result, Verdict.REGRESSION if failed else verdict, *reasons, reason)
        )
    test = sides.test or (spec.test if sides.paired == spec.paired else TestName.WELCH)
    runs = len(cand) if sides.paired else (len(cand) + len(base)) / 2
    if min(len(cand), len(base)) == 1:
        single = "candidate" if len(cand) == 1 else "baseline"
        replicated = max(len(cand), len(base))
        if test is not TestName.WELCH or spec.paired:
            notes.append(
                f"`{spec.test}` needs at least {MIN_RUNS} runs a side; the one {single} run "
                "is compared with the other side's spread instead (a prediction test)"
            )
        result = replace(result, notes=tuple(notes))
        # Welch's runs a side whose standard error equals this test's: s * sqrt(2 / runs).
        test, runs = TestName.PREDICTION, 2 / (1 + 1 / replicated)
    if spec.tolerance.relative and base_side.mean == 0.0:
        raise RunSetError(
            f"metric {spec.name!r}: a tolerance of {spec.tolerance.spec} of the baseline "
            "mean, which is 0, tolerates nothing; give an absolute tolerance"
        )
    comparison = compare_sides(
        test,
        sign * np.asarray(cand),
        sign * np.asarray(base),
        StatSettings(
            tolerance=tolerance,
            alpha=spec.alpha,
            resamples=spec.resamples,
            statistic=spec.statistic,
        ),
        fraction=spec.tolerance.value if spec.tolerance.relative else None,
    )
    low, high = sorted((sign * comparison.low, sign * comparison.high))
    named = interval_estimate(comparison.test, spec.statistic)
    result = replace(
        result,
        test=comparison.test,
        estimate=sign * comparison.delta if named else None,
        estimate_name=named,
        ci_low=_finite_or_none(low),
        ci_high=_finite_or_none(high),
        ci_level=1.0 - 2.0 * spec.alpha,
        p_value=comparison.p_worse,
        p_improvement=comparison.p_better,
        p_noninferior=comparison.p_noninferior,
        reasons=tuple(reasons),
        notes=(*result.notes, *comparison.notes),
    )
    return Measurement(result, comparison, failed=failed, runs=runs)


@contextmanager
def _placed(source: str, place: str) -> Iterator[None]:
    """An input error that names no file names the policy's entry it arose under."""
    try:
        yield
    except RunSetError as err:
        if err.source is None:
            err.source, err.place = source, err.place or place
        raise


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None
