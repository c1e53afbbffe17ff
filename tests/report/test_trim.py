"""Fitting a report to a size limit: the verdict and the failed metrics survive, the
limit always holds, and nothing but a metric that fails the gate is shown as one."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.paths import ROOT
from support.results import metric, result

from gate.report import markdown
from gate.report.escape import md_escape
from gate.report.markdown import render_markdown
from gate.report.trim import (
    fit_markdown,
    fit_result,
    github_length,
    hard_cut,
    most_that_fit,
    utf8_length,
)
from gate.result import GateResult, Verdict
from gate.vocabulary import Mode

EXAMPLE = (ROOT / "tests" / "expected" / "example-regressed.md").read_text("utf-8")


def note(size: int) -> str:
    return f"(cut from {size})"


@functools.cache
def big_result() -> GateResult:
    """800 passes with two failing metrics among them: about 170,000 characters."""
    passes = [metric(f"metric_{i:04d}", Verdict.PASS) for i in range(800)]
    failing = [
        metric("val|loss @team", Verdict.REGRESSION, reasons=("worse by 15%",)),
        metric("recall", Verdict.MISSING, reasons=("no candidate run reports it",)),
    ]
    return result(*passes[:400], *failing, *passes[400:])


def test_a_result_that_fits_is_the_whole_report() -> None:
    gate = big_result()
    whole = render_markdown(gate)
    fitted = fit_result(gate, limit=10**6, measure=len, prefix="<!-- x -->\n", note=note)
    assert fitted == "<!-- x -->\n" + whole


def test_a_long_report_keeps_the_verdict_and_the_failed_metrics() -> None:
    gate = big_result()
    assert github_length(render_markdown(gate)) > 65_536
    short = fit_result(gate, limit=20_000, measure=github_length, note=note)
    assert github_length(short) <= 20_000
    assert short.startswith("## rungate: ❌ fail — 1 regression, 1 missing\n\n(cut from ")
    rows = [line for line in short.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| Metric | Verdict |")
    assert [row.split(" | ")[:2] for row in rows[1:]] == [
        ["| recall", "🚫 missing"],
        [f"| {md_escape('val|loss @team')}", "❌ regression"],
    ]
    assert short.endswith(
        "\n### Failed metrics\n\n"
        "- 🚫 **recall** — missing\n  - no candidate run reports it\n"
        f"- ❌ **{md_escape('val|loss @team')}** — regression\n  - worse by 15%\n"
    )
    assert "metric_0001" not in short and "more failed metrics" not in short


def test_too_many_failed_metrics_are_counted_not_shown() -> None:
    gate = result(*(metric(f"m{i}", Verdict.REGRESSION) for i in range(400)))
    short = fit_result(gate, limit=8_000, measure=utf8_length, note=note)
    assert utf8_length(short) <= 8_000
    shown = short.count("❌ regression |")
    assert 10 < shown < 400
    assert short.endswith(f"\n\n_… and {400 - shown} more failed metrics._\n")
    assert "### Failed metrics" not in short  # no room: the rows come first
    # As many as fit: one row more would not.
    bigger = markdown.ShortReport(gate, note=note(0)).render(rows=shown + 1, details=0)
    assert utf8_length(bigger) > 8_000 - len(str(400 - shown)) + len("(cut from 0)")


def test_a_metric_that_fails_only_in_its_mode_is_shown() -> None:
    safety = metric(
        "safety",
        Verdict.INCONCLUSIVE,
        mode=Mode.NONINFERIORITY,
        fails_gate=True,
        reasons=("not shown to be within the tolerance",),
    )
    passes = [metric(f"metric_{i:03d}", Verdict.PASS) for i in range(100)]
    short = fit_result(result(*passes, safety), limit=3_000, measure=len, note=note)
    assert "| safety | ❌ inconclusive |" in short
    assert "- ❌ **safety** — inconclusive (non-inferiority: fails the gate)\n" in short


@settings(max_examples=60, deadline=None)
@given(limit=st.integers(min_value=40, max_value=70_000))
def test_the_limit_always_holds(limit: int) -> None:
    short = fit_result(
        big_result(), limit=limit, measure=github_length, prefix="<!-- m -->\n", note=note
    )
    assert github_length(short) <= limit


def test_ten_thousand_failed_metrics_take_a_handful_of_renders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate = result(*(metric(f"m{i}", Verdict.REGRESSION) for i in range(10_000)))
    renders: list[int] = []
    render = markdown.ShortReport.render

    def counted(self: markdown.ShortReport, *, rows: int, details: int) -> str:
        renders.append(rows)
        return render(self, rows=rows, details=details)

    monkeypatch.setattr(markdown.ShortReport, "render", counted)
    short = fit_result(gate, limit=65_000, measure=github_length, note=note)
    assert github_length(short) <= 65_000
    assert short.count("❌ regression |") == renders[-1] > 300
    assert len(renders) <= 8, renders  # halving 10,000 would take 14, one per metric 10,000


@settings(max_examples=300, deadline=None)
@given(
    steps=st.lists(st.integers(min_value=0, max_value=50), max_size=60),
    limit=st.integers(min_value=0, max_value=2_000),
)
def test_most_that_fit_finds_the_largest_count(steps: list[int], limit: int) -> None:
    sizes = [sum(steps[:count]) for count in range(len(steps) + 1)]  # growing, unevenly
    expected = max((count for count, size in enumerate(sizes) if size <= limit), default=0)
    assert most_that_fit(sizes.__getitem__, limit, len(steps)) == expected


def test_a_hard_cut_ends_in_an_ellipsis_within_the_limit() -> None:
    assert hard_cut("abcdef", 6, len) == "abcdef"
    assert hard_cut("abcdef", 4, len) == "abc…"
    assert hard_cut("abcdef", 0, len) == ""


MARKDOWN_FILE = "\n".join(
    [
        "## rungate: ❌ fail — 1 regression",
        "",
        "| Metric | Verdict |",
        "|:--|:--|",
        *(f"| metric_{i} | ✅ pass |" for i in range(50)),
        "",
        "### Details",
        "",
        "- ❌ **f1** — regression",
        "",
        "### Parameters that differ",
        "",
        "| Parameter | Baseline | Candidate |",
        "|:--|:--|:--|",
        "| optimizer | ❌ adam | sgd |",
        "",
    ]
)


def test_a_markdown_file_is_cut_before_a_heading_and_its_rows_never_read() -> None:
    size = len("<m>\n" + MARKDOWN_FILE)
    cut = fit_markdown(MARKDOWN_FILE, limit=size - 1, measure=len, prefix="<m>\n", note=note)
    head = MARKDOWN_FILE.partition("\n### Parameters")[0]
    assert head.endswith("- ❌ **f1** — regression\n")
    assert cut == f"<m>\n{head}\n(cut from {size})\n"
    assert "❌ adam" not in cut


def test_a_markdown_file_whose_first_section_is_too_long_is_cut_hard() -> None:
    size = len("<m>\n" + MARKDOWN_FILE)
    cut = fit_markdown(MARKDOWN_FILE, limit=300, measure=len, prefix="<m>\n", note=note)
    assert len(cut) <= 300
    assert cut.startswith("<m>\n## rungate: ❌ fail — 1 regression\n\n| Metric |")
    assert cut.endswith(f"…\n\n(cut from {size})\n")
    assert fit_markdown(MARKDOWN_FILE, limit=10**4, measure=len, note=note) == MARKDOWN_FILE
