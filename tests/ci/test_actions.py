"""GitHub Actions' files and workflow commands, unit by unit."""

from __future__ import annotations

from pathlib import Path

from support.results import every_verdict_result, metric, result

from gate.ci.actions import (
    SUMMARY_LIMIT,
    SUMMARY_MARGIN,
    annotation_lines,
    escape_data,
    escape_property,
    format_outputs,
    job_summary,
    step_outputs,
    workflow_command,
)
from gate.report.markdown import render_markdown
from gate.report.trim import utf8_length
from gate.result import Verdict


def test_escaping_follows_githubs_rules() -> None:
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext%3A a%2Cb"
    assert workflow_command("warning", "x\ny", title="t: 1") == "::warning title=t%3A 1::x%0Ay"


def test_errors_for_failing_metrics_warnings_for_undecided_ones() -> None:
    lines = annotation_lines(every_verdict_result())
    kinds = [(line.split(" ", 1)[0], line.split("%3A ", 1)[1].split(" ")[0]) for line in lines]
    assert kinds == [
        ("::error", "bleu"),
        ("::error", "f1"),
        ("::warning", "latency_ms"),
        ("::warning", "recall"),
    ]
    assert lines[1].endswith(
        "::f1: regression; baseline 0.9012 (n=5), candidate 0.8523 (n=5), change -0.0489 "
        "(-5.4%25). mean fell by 0.0489 (5.4%25), beyond the tolerance 0.01; p=0.0004"
    )


def test_outputs_single_and_multi_line() -> None:
    text = format_outputs({"verdict": "fail", "note": "two\nlines"})
    first, second = text.split("\n", 1)
    assert first == "verdict=fail"
    name, delimiter = second.split("\n", 1)[0].split("<<")
    assert name == "note" and delimiter.startswith("ghadelimiter_")
    assert second == f"note<<{delimiter}\ntwo\nlines\n{delimiter}\n"


def test_step_outputs_name_absolute_report_paths(tmp_path: Path) -> None:
    outputs = step_outputs(every_verdict_result(), {"json": Path("r.json"), "markdown": Path("-")})
    assert outputs == {
        "verdict": "fail",
        "regressions": "1",
        "failed": "2",
        "json": str(Path("r.json").resolve()),
    }


def test_the_job_summary_fits_what_the_step_has_left() -> None:
    passes = [metric(f"metric_{i:05d}", Verdict.PASS) for i in range(8000)]
    gate = result(metric("f1", Verdict.REGRESSION), *passes)
    room = SUMMARY_LIMIT - 900_000 - SUMMARY_MARGIN
    assert utf8_length(render_markdown(gate)) > room
    text = job_summary(gate, already_written=900_000)
    assert text is not None and utf8_length(text) <= room
    assert text.startswith("## rungate: ❌ fail — 1 regression\n\n> [!NOTE]\n> The full report (")
    assert "| f1 | ❌ regression |" in text and "- ❌ **f1** — regression" in text
    assert "metric_00000" not in text
    assert job_summary(gate, already_written=SUMMARY_LIMIT - 100) is None
    small = result(metric("f1", Verdict.PASS))
    assert job_summary(small, already_written=0) == render_markdown(small)
