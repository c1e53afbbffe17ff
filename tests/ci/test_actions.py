"""GitHub Actions' files and workflow commands, unit by unit."""

from __future__ import annotations

from pathlib import Path

from gate_samples import every_verdict

from gate.ci.actions import (
    SUMMARY_LIMIT,
    annotation_lines,
    escape_data,
    escape_property,
    format_outputs,
    step_outputs,
    summary_text,
    workflow_command,
)


def test_escaping_follows_githubs_rules() -> None:
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext%3A a%2Cb"
    assert workflow_command("warning", "x\ny", title="t: 1") == "::warning title=t%3A 1::x%0Ay"


def test_errors_for_failing_metrics_warnings_for_undecided_ones() -> None:
    lines = annotation_lines(every_verdict())
    kinds = [(line.split(" ", 1)[0], line.split("%3A ", 1)[1].split(" ")[0]) for line in lines]
    assert kinds == [
        ("::error", "recall"),
        ("::error", "f1"),
        ("::warning", "latency"),
        ("::warning", "memory"),
    ]
    assert lines[1].endswith("change -0.05 (-5.6%25). worse by more than the tolerance")


def test_outputs_single_and_multi_line() -> None:
    text = format_outputs({"verdict": "fail", "note": "two\nlines"})
    first, second = text.split("\n", 1)
    assert first == "verdict=fail"
    name, delimiter = second.split("\n", 1)[0].split("<<")
    assert name == "note" and delimiter.startswith("ghadelimiter_")
    assert second == f"note<<{delimiter}\ntwo\nlines\n{delimiter}\n"


def test_step_outputs_name_absolute_report_paths(tmp_path: Path) -> None:
    outputs = step_outputs(every_verdict(), {"json": Path("r.json"), "markdown": Path("-")})
    assert outputs == {
        "verdict": "fail",
        "regressions": "1",
        "failed": "2",
        "json": str(Path("r.json").resolve()),
    }


def test_the_summary_fits_what_the_step_has_left() -> None:
    report = "## rungate: ❌ fail\n\n" + "| m | ✅ pass |\n" * 200_000
    assert len(report.encode()) > SUMMARY_LIMIT
    text = summary_text(report, already_written=100_000)
    assert text is not None and len(text.encode()) <= SUMMARY_LIMIT - 100_000
    assert text.startswith("## rungate: ❌ fail\n\n> [!NOTE]\n> The full report (")
    assert summary_text(report, already_written=SUMMARY_LIMIT - 100) is None
    assert summary_text("## small\n", already_written=0) == "## small\n"
