"""A flood of non-failing warnings (200 unchanged metrics at tolerance 0 make about 100
inconclusive ones) must not bury the verdict, in a terminal or in a comment."""

from __future__ import annotations

from support.results import metric, result

from gate.report.markdown import render_markdown
from gate.report.summary import render_stdout_summary
from gate.result import GateResult, Verdict


def flood() -> GateResult:
    quiet = [
        metric(
            f"m{i}",
            Verdict.INCONCLUSIVE,
            reasons=("beyond the tolerance (0) but not significantly",),
        )
        for i in range(100)
    ]
    return result(
        *quiet,
        metric("f1", Verdict.REGRESSION, reasons=("worse by more than the tolerance",)),
        metric("loss", Verdict.IMPROVEMENT),
    )


def test_the_terminal_summary_groups_warnings_and_keeps_failures_whole() -> None:
    lines = render_stdout_summary(flood()).splitlines()
    assert lines[0].startswith("rungate: FAIL")
    assert lines[1].lstrip().startswith("regression") and "f1" in lines[1]
    (inconclusive,) = [line for line in lines if line.lstrip().startswith("inconclusive")]
    assert "100 metrics: m0, m1," in inconclusive and "and 90 more" in inconclusive
    assert any(
        line.lstrip().startswith("improvement") and "1 metrics: loss" in line for line in lines
    )
    assert len(lines) == 4


def test_the_markdown_report_folds_the_details_of_metrics_that_pass() -> None:
    text = render_markdown(flood())
    details = text.split("### Details", 1)[1]
    failing = details.index("**f1**")
    folded = details.index("<details><summary>101 metrics that do not fail the gate: ")
    assert failing < folded  # the failing metric's details come first, unfolded
    assert "100 inconclusive, 1 improvement</summary>" in details
    assert details.count("**m") == 100 and "\n\n</details>\n" in details
    # GitHub renders Markdown inside <details> only after a blank line: there is one.
    assert "</summary>\n\n- " in details


def test_a_few_warnings_stay_listed_one_by_one() -> None:
    few = result(*(metric(f"m{i}", Verdict.INCONCLUSIVE) for i in range(3)))
    assert "<details>" not in render_markdown(few)
    assert len(render_stdout_summary(few).splitlines()) == 4
