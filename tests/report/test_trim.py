"""Shortening a report: the verdict and the failed metrics survive, the limit always holds."""

from __future__ import annotations

import functools
from pathlib import Path

from gate_samples import metric, result
from hypothesis import given, settings
from hypothesis import strategies as st

from gate.report.escape import md_escape
from gate.report.markdown import render_markdown
from gate.report.trim import fit_report, github_length, split_report, utf8_length
from gate.result import Verdict

EXAMPLE = (Path(__file__).parent.parent / "expected" / "example-regressed.md").read_text("utf-8")


def note(size: int) -> str:
    return f"(cut from {size})"


@functools.cache
def big_report() -> tuple[str, frozenset[str]]:
    metrics = [metric(f"metric_{i:04d}", Verdict.PASS) for i in range(800)]
    failing = [
        metric("val|loss @team", Verdict.REGRESSION, reasons=("worse by 15%",)),
        metric("recall", Verdict.MISSING, reasons=("no candidate run reports it",)),
    ]
    gate = result(*metrics[:400], *failing, *metrics[400:])
    names = frozenset(md_escape(m.name) for m in failing)
    return render_markdown(gate), names


def test_a_report_that_fits_is_left_whole() -> None:
    assert fit_report(EXAMPLE, limit=10**6, measure=len, prefix="<!-- x -->\n", note=note) == (
        "<!-- x -->\n" + EXAMPLE
    )


def test_the_labels_find_the_failing_rows_and_details_of_a_report_file() -> None:
    parts = split_report(EXAMPLE)
    assert parts.headline == "## rungate: ❌ fail — 4 regressions"
    assert [row.split("|")[1].strip() for row in parts.failing_rows] == [
        "accuracy",
        "f1_macro",
        "val_loss",
        "latency_ms",
    ]
    assert parts.table_header[0].startswith("| Metric | Verdict |")
    assert parts.failing_details[3].startswith(
        "- ❌ **latency_ms** — regression\n  - the candidate"
    )


def test_a_long_report_keeps_the_verdict_and_the_failed_metrics() -> None:
    report, names = big_report()
    assert github_length(report) > 65_536
    short = fit_report(report, limit=20_000, measure=github_length, note=note, failing_names=names)
    assert github_length(short) <= 20_000
    assert short.startswith(report.splitlines()[0] + "\n\n(cut from ")
    assert f"| {md_escape('val|loss @team')} | ❌ regression |" in short
    assert "| recall | 🚫 missing |" in short
    assert "worse by 15%" in short and "### Failed metrics" in short
    assert "metric_0001" not in short


def test_too_many_failed_metrics_are_counted_not_shown() -> None:
    gate = result(*(metric(f"m{i}", Verdict.REGRESSION) for i in range(400)))
    short = fit_report(render_markdown(gate), limit=8_000, measure=utf8_length, note=note)
    assert utf8_length(short) <= 8_000
    shown = short.count("❌ regression |")
    assert 10 < shown < 400
    assert f"_… and {400 - shown} more failed metrics._" in short


@settings(max_examples=60, deadline=None)
@given(limit=st.integers(min_value=40, max_value=70_000))
def test_the_limit_always_holds(limit: int) -> None:
    report, _ = big_report()
    short = fit_report(report, limit=limit, measure=github_length, prefix="<!-- m -->\n", note=note)
    assert github_length(short) <= limit


def test_a_metric_failing_only_in_its_mode_is_found_in_a_report_file() -> None:
    inconclusive = metric(
        "safety",
        Verdict.INCONCLUSIVE,
        mode="noninferiority",
        fails_gate=True,
        reasons=("not shown to be within the tolerance",),
    )
    report = render_markdown(result(metric("accuracy", Verdict.PASS), inconclusive))
    parts = split_report(report)  # from the text alone, as `rungate comment` reads it
    assert [row.split("|")[1].strip() for row in parts.failing_rows] == ["safety"]
    assert parts.failing_details[0].startswith(
        "- ❌ **safety** — inconclusive (non-inferiority: fails the gate)"
    )
