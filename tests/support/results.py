"""Gate results built by hand, for every test of what renders or publishes a result.

``metric(name, verdict, ...)`` is a metric of five runs a side that passes
comfortably, with the changes given; ``fails_gate`` follows the verdict unless a
change sets it. The named results are the shapes the expected report files in
``tests/report/expected`` are rendered from; ``check_expected`` compares with them.
"""

from __future__ import annotations

import dataclasses
import math
import os
from typing import Any

from gate.result import GateResult, MetricResult, ParamDifference, SideSummary, Verdict
from gate.vocabulary import Direction, TestName
from support.paths import ROOT

EXPECTED_DIR = ROOT / "tests" / "report" / "expected"
# Read when the tests are collected: the autouse fixture in conftest.py clears RUNGATE_* later.
REGENERATE = os.environ.get("RUNGATE_REGENERATE") == "1"
INJECTION = "acc|uracy\n# Pwned <script>alert(1)</script> @octocat [x](http://evil)"
ALPHA = 0.05


def metric(name: str, verdict: Verdict, **changes: Any) -> MetricResult:
    changes.setdefault("fails_gate", verdict.fails_gate)
    typical = MetricResult(
        name=name,
        verdict=verdict,
        direction=Direction.HIGHER,
        baseline=SideSummary(n=5, mean=0.9012, sd=0.0031),
        candidate=SideSummary(n=5, mean=0.9020, sd=0.0029),
        alpha=ALPHA,
        test=TestName.WELCH,
        ci_level=0.9,
        tolerance=0.01,
        tolerance_spec="0.01",
    )
    return dataclasses.replace(typical, **changes)


def result(*metrics: MetricResult, **changes: Any) -> GateResult:
    """Five runs a side, from ``runs/pr`` and ``runs/main``."""
    typical = GateResult(
        metrics=metrics,
        alpha=ALPHA,
        candidate="runs/pr",
        baseline="runs/main",
        candidate_runs=5,
        baseline_runs=5,
    )
    return dataclasses.replace(typical, **changes)


def every_verdict_result() -> GateResult:
    """One metric per verdict, with None fields, NaN and limits along the way."""
    metrics = (
        metric(
            "accuracy",
            Verdict.PASS,
            delta=0.0008,
            delta_pct=0.0888,
            ci_low=-0.0023,
            ci_high=0.0039,
            p_value=0.0,
            p_improvement=0.3124,
        ),
        metric(
            "f1",
            Verdict.REGRESSION,
            candidate=SideSummary(n=5, mean=0.8523, sd=0.0042, non_finite=1),
            delta=-0.0489,
            delta_pct=-5.4261,
            ci_low=-0.0612,
            ci_high=-0.0366,
            p_value=0.0004,
            p_improvement=0.9999,
            reasons=("mean fell by 0.0489 (5.4%), beyond the tolerance 0.01; p=0.0004",),
            notes=("1 candidate run reported NaN for f1 and was left out",),
        ),
        metric(
            "val_loss",
            Verdict.IMPROVEMENT,
            direction=Direction.LOWER,
            baseline=SideSummary(n=5, mean=0.3121, sd=0.011),
            candidate=SideSummary(n=5, mean=0.2875, sd=0.0098),
            delta=-0.0246,
            delta_pct=-7.882,
            ci_low=-0.0351,
            ci_high=-0.0141,
            p_value=1.0,
            p_improvement=0.0021,
            tolerance=0.015605,
            tolerance_spec="5%",
            reasons=("mean improved by 0.0246 (7.9%); p=0.002",),
        ),
        metric(
            "latency_ms",
            Verdict.INCONCLUSIVE,
            direction=Direction.LOWER,
            baseline=SideSummary(n=3, mean=123456.7, sd=2345.6),
            candidate=SideSummary(n=3, mean=131002.1, sd=5012.3),
            delta=7545.4,
            delta_pct=6.1118,
            ci_low=-1203.5,
            ci_high=16294.3,
            p_value=0.0712,
            p_improvement=0.93,
            tolerance=6172.835,
            tolerance_spec="5%",
            at_most=150000.0,
            reasons=("looks worse beyond the tolerance, but p=0.071 is not below alpha 0.05",),
        ),
        metric(
            "recall",
            Verdict.INSUFFICIENT,
            candidate=SideSummary(n=1, mean=0.77, sd=None),
            test=None,
            ci_level=None,
            reasons=("the candidate has 1 usable run; a test needs at least 2",),
        ),
        metric(
            "throughput",
            Verdict.NO_BASELINE,
            baseline=SideSummary(n=0, mean=None, sd=None),
            candidate=SideSummary(n=4, mean=float("nan"), sd=float("nan"), non_finite=4),
            test=None,
            ci_level=None,
            tolerance=None,
            tolerance_spec=None,
            at_least=100.0,
            notes=("no baseline run reports throughput; only limits were checked",),
        ),
        metric(
            "bleu",
            Verdict.MISSING,
            candidate=SideSummary(n=0, mean=None, sd=None),
            test=None,
            ci_level=None,
            delta_pct=math.inf,
            reasons=("declared in the policy, but no candidate run reports it",),
        ),
    )
    return GateResult(
        metrics=metrics,
        alpha=ALPHA,
        candidate="runs/pr-123/*.json",
        baseline="mlflow experiment 7, branch main",
        candidate_runs=5,
        baseline_runs=1,
        param_differences=(
            ParamDifference("learning_rate", ("0.001",), ("0.002", "0.003")),
            ParamDifference("optimizer", ("adam",), ()),
            ParamDifference("seed", tuple(str(seed) for seed in range(12)), ("0",)),
        ),
        notes=("baseline runs were selected by tags.branch = main",),
    )


def passing_result() -> GateResult:
    return GateResult(
        metrics=(metric("accuracy", Verdict.PASS, delta=0.0008, delta_pct=0.0888, p_value=0.0011),),
        alpha=ALPHA,
        candidate="candidate",
        baseline="baseline",
        candidate_runs=1,
        baseline_runs=1,
    )


def empty_result() -> GateResult:
    return GateResult(
        metrics=(), alpha=0.1, candidate="c", baseline="b", candidate_runs=0, baseline_runs=0
    )


def injection_result() -> GateResult:
    """Hostile strings everywhere a run file or policy can put one."""
    return GateResult(
        metrics=(
            metric(
                INJECTION,
                Verdict.REGRESSION,
                tolerance_spec=INJECTION,
                reasons=(INJECTION,),
                notes=(INJECTION,),
            ),
        ),
        alpha=ALPHA,
        candidate=INJECTION,
        baseline=INJECTION,
        candidate_runs=2,
        baseline_runs=2,
        param_differences=(ParamDifference(INJECTION, (INJECTION, "a|b"), (INJECTION,)),),
        notes=(INJECTION,),
    )


# Every shape an expected report file is rendered from, by the file's name.
EXPECTED_SHAPES = {
    "every_verdict": every_verdict_result,
    "passing": passing_result,
    "empty": empty_result,
    "injection": injection_result,
}


def check_expected(name: str, actual: str) -> None:
    """Compare with ``tests/report/expected/<name>``; ``RUNGATE_REGENERATE=1`` rewrites it."""
    path = EXPECTED_DIR / name
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path} differs; rerun with RUNGATE_REGENERATE=1 if intended"
