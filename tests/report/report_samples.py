"""Hand-built gate results for the report tests, and the expected-file helper."""

from __future__ import annotations

import dataclasses
import math
import os
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from gate.result import GateResult, MetricResult, ParamDifference, SideSummary, Verdict

EXPECTED_DIR = Path(__file__).parent / "expected"
INJECTION = "acc|uracy\n# Pwned <script>alert(1)</script> @octocat [x](http://evil)"

ALPHA = 0.05


def _metric(name: str, verdict: Verdict, **changes: Any) -> MetricResult:
    """A metric of five runs a side that pass comfortably, with ``changes`` applied."""
    typical = MetricResult(
        name=name,
        verdict=verdict,
        direction="higher",
        baseline=SideSummary(n=5, mean=0.9012, sd=0.0031),
        candidate=SideSummary(n=5, mean=0.9020, sd=0.0029),
        alpha=ALPHA,
        test="welch",
        ci_level=0.9,
        tolerance=0.01,
        tolerance_spec="0.01",
    )
    changed = dataclasses.replace(typical, **changes)
    return dataclasses.replace(changed, fails_gate=changed.verdict.fails_gate)


def every_verdict_result() -> GateResult:
    """One metric per verdict, with None fields, NaN and limits along the way."""
    metrics = (
        _metric(
            "accuracy",
            Verdict.PASS,
            delta=0.0008,
            delta_pct=0.0888,
            ci_low=-0.0023,
            ci_high=0.0039,
            p_value=0.0,
            p_improvement=0.3124,
        ),
        _metric(
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
        _metric(
            "val_loss",
            Verdict.IMPROVEMENT,
            direction="lower",
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
        _metric(
            "latency_ms",
            Verdict.INCONCLUSIVE,
            direction="lower",
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
        _metric(
            "recall",
            Verdict.INSUFFICIENT,
            candidate=SideSummary(n=1, mean=0.77, sd=None),
            test=None,
            ci_level=None,
            reasons=("the candidate has 1 usable run; a test needs at least 2",),
        ),
        _metric(
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
        _metric(
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
        metrics=(
            _metric("accuracy", Verdict.PASS, delta=0.0008, delta_pct=0.0888, p_value=0.0011),
        ),
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
            _metric(
                INJECTION,
                Verdict.REGRESSION,
                direction=INJECTION,
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


def check_expected(name: str, actual: str) -> None:
    """Compare with ``expected/<name>``; ``RUNGATE_REGENERATE=1`` rewrites it instead."""
    path = EXPECTED_DIR / name
    if os.environ.get("RUNGATE_REGENERATE") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path} differs; rerun with RUNGATE_REGENERATE=1 if intended"


def parse_markdown(markdown: str) -> list[Token]:
    """The token stream of the parser the HTML report uses (CommonMark plus tables)."""
    tokens: list[Token] = MarkdownIt("commonmark", {"html": False}).enable("table").parse(markdown)
    return tokens


def all_tokens(tokens: list[Token]) -> list[Token]:
    """Block tokens and, after each inline token, its children."""
    flat: list[Token] = []
    for token in tokens:
        flat.append(token)
        flat.extend(token.children or [])
    return flat


UNSAFE_TOKEN_TYPES = frozenset(
    {"html_inline", "html_block", "link_open", "image", "code_inline", "code_block", "fence"}
)
