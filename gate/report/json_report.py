"""The JSON report: every number the gate computed, for other programs (see docs/json.md)."""

from __future__ import annotations

import json
import math

import gate
from gate.report.json_examples import examples_json
from gate.report.pictures.picture_json import history_commits, picture_json
from gate.result import GateResult, MetricResult, ParamDifference, SideSummary, Verdict

SCHEMA_VERSION = 1


def _finite(value: float | None) -> float | None:
    """JSON has no NaN or infinity: they become null, like a value that was not computed."""
    return value if value is not None and math.isfinite(value) else None


def _side(summary: SideSummary) -> dict[str, object]:
    return {
        "n": summary.n,
        "mean": _finite(summary.mean),
        "sd": _finite(summary.sd),
        "non_finite": summary.non_finite,
    }


def _metric(metric: MetricResult, commits: dict[str, int]) -> dict[str, object]:
    return {
        "name": metric.name,
        "verdict": metric.verdict.value,
        "direction": metric.direction,
        "mode": metric.mode,
        "test": metric.test,
        "paired_by": metric.paired_by,
        "pairs": metric.pairs,
        "baseline": _side(metric.baseline),
        "candidate": _side(metric.candidate),
        "delta": _finite(metric.delta),
        "delta_pct": _finite(metric.delta_pct),
        "ci_low": _finite(metric.ci_low),
        "ci_high": _finite(metric.ci_high),
        "ci_level": _finite(metric.ci_level),
        "estimate": _finite(metric.estimate),
        "estimate_name": metric.estimate_name,
        "unit": metric.unit,
        "p_value": _finite(metric.p_value),
        "p_improvement": _finite(metric.p_improvement),
        "p_noninferior": _finite(metric.p_noninferior),
        "correction": metric.correction,
        "p_adjusted": _finite(metric.p_adjusted),
        "p_improvement_adjusted": _finite(metric.p_improvement_adjusted),
        "p_noninferior_adjusted": _finite(metric.p_noninferior_adjusted),
        "detectable_drop": _finite(metric.detectable_drop),
        "runs_needed": metric.runs_needed,
        "tolerance": _finite(metric.tolerance),
        "tolerance_spec": metric.tolerance_spec,
        "at_least": _finite(metric.at_least),
        "at_most": _finite(metric.at_most),
        "fails_gate": metric.fails_gate,
        "reasons": list(metric.reasons),
        "notes": list(metric.notes),
        "examples": examples_json(metric.examples),
        "picture": picture_json(metric.picture, commits),
    }


def _param_difference(difference: ParamDifference) -> dict[str, object]:
    return {
        "name": difference.name,
        "baseline": list(difference.baseline),
        "candidate": list(difference.candidate),
    }


def to_json_dict(result: GateResult) -> dict[str, object]:
    commits = history_commits(result)
    index = {commit: i for i, commit in enumerate(commits)}
    return {
        "schema_version": SCHEMA_VERSION,
        "rungate_version": gate.__version__,
        "verdict": result.verdict,
        "alpha": _finite(result.alpha),
        "correction": result.correction,
        "candidate": {"description": result.candidate, "runs": result.candidate_runs},
        "baseline": {"description": result.baseline, "runs": result.baseline_runs},
        "run_word": result.run_word,
        "counts": {verdict.value: result.count(verdict) for verdict in Verdict},
        "metrics": [_metric(metric, index) for metric in result.worst_first()],
        "param_differences": [_param_difference(d) for d in result.param_differences],
        "notes": list(result.notes),
        "history_commits": commits,
    }


def render_json(result: GateResult) -> str:
    return json.dumps(to_json_dict(result), indent=2, allow_nan=False) + "\n"
