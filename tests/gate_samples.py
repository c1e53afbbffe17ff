"""Gate results built by hand for the CI-edge tests, one metric per verdict."""

from __future__ import annotations

import dataclasses
from typing import Any

from gate.result import GateResult, MetricResult, SideSummary, Verdict


def metric(name: str, verdict: Verdict, **changes: Any) -> MetricResult:
    """Five runs a side; ``fails_gate`` follows the verdict unless ``changes`` say otherwise."""
    changes.setdefault("fails_gate", verdict.fails_gate)
    typical = MetricResult(
        name=name,
        direction="higher",
        verdict=verdict,
        baseline=SideSummary(n=5, mean=0.9, sd=0.01),
        candidate=SideSummary(n=5, mean=0.85, sd=0.01),
        alpha=0.05,
        test="welch",
        delta=-0.05,
        delta_pct=-5.5556,
        ci_low=-0.061,
        ci_high=-0.039,
        ci_level=0.9,
        p_value=0.0001,
        tolerance=0.01,
        tolerance_spec="0.01",
    )
    return dataclasses.replace(typical, **changes)


def result(*metrics: MetricResult) -> GateResult:
    return GateResult(
        metrics=metrics,
        alpha=0.05,
        candidate="runs/pr",
        baseline="runs/main",
        candidate_runs=5,
        baseline_runs=5,
    )


def every_verdict() -> GateResult:
    return result(
        metric("accuracy", Verdict.PASS, candidate=SideSummary(n=5, mean=0.9, sd=0.01)),
        metric("f1", Verdict.REGRESSION, reasons=("worse by more than the tolerance",)),
        metric("recall", Verdict.MISSING, candidate=SideSummary(n=0, mean=None, sd=None)),
        metric("latency", Verdict.INCONCLUSIVE, reasons=("more runs would tell",)),
        metric("memory", Verdict.INSUFFICIENT, reasons=("only 1 candidate run",)),
        metric("throughput", Verdict.NO_BASELINE),
        metric("loss", Verdict.IMPROVEMENT),
    )
