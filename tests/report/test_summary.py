from __future__ import annotations

import dataclasses

from support.results import (
    check_expected,
    empty_result,
    every_verdict_result,
    injection_result,
    passing_result,
)

from gate.report.summary import render_stdout_summary
from gate.result import Verdict


def test_every_verdict_matches_expected_file() -> None:
    check_expected("every_verdict.summary.txt", render_stdout_summary(every_verdict_result()))


def test_first_line_counts_failing_metrics() -> None:
    first = render_stdout_summary(every_verdict_result()).splitlines()[0]
    assert first.startswith("rungate: FAIL (7 metrics: 1 regression, 1 missing, 1 inconclusive,")


def test_plain_pass_lists_no_metrics() -> None:
    assert render_stdout_summary(passing_result()) == "rungate: PASS (1 metric: 1 pass)\n"
    assert render_stdout_summary(empty_result()) == "rungate: PASS (no metrics compared)\n"


def test_passes_are_omitted_and_improvements_kept() -> None:
    lines = render_stdout_summary(every_verdict_result()).splitlines()[1:]
    verdicts = [line.split()[0] for line in lines]
    assert verdicts == [v.value for v in Verdict if v is not Verdict.PASS]
    improvement = lines[-1]
    assert "p(better)=0.002" in improvement
    assert "tolerance 5% = 0.01561" in improvement


def test_regression_line() -> None:
    regression = render_stdout_summary(every_verdict_result()).splitlines()[2]
    assert regression == (
        "  regression    f1          0.9012 -> 0.8523 (Δ -0.0489, -5.4%; "
        "90% CI [-0.0612, -0.0366]; p<0.001; tolerance 0.01): "
        "mean fell by 0.0489 (5.4%), beyond the tolerance 0.01; p=0.0004"
    )


def test_names_cannot_break_lines_or_send_terminal_escapes() -> None:
    result = injection_result()
    metric = dataclasses.replace(result.metrics[0], name="evil\x1b[31m\r\nname\u2028x")
    text = render_stdout_summary(dataclasses.replace(result, metrics=(metric,)))
    assert len(text.splitlines()) == 2
    assert "\x1b" not in text
    assert "evil [31m  name x" in text
