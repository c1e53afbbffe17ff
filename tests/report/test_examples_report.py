"""What the reports show of a metric paired by example key: the counts, the examples that
changed most (folded in the Markdown forms, all of them in JSON), every string escaped."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from support.keyed_runs import examples_result
from support.markdown_tokens import UNSAFE_TOKEN_TYPES, all_tokens, parse_markdown, table_rows
from support.results import INJECTION

from gate.errors import UsageError
from gate.report.html import render_html
from gate.report.json_read import read_json_report
from gate.report.json_report import render_json, to_json_dict
from gate.report.junit import render_junit
from gate.report.markdown import ShortReport, render_markdown
from gate.report.summary import render_stdout_summary


def test_the_markdown_report_folds_the_examples_that_changed_most() -> None:
    result = examples_result()
    (metric,) = result.metrics
    text = render_markdown(result)
    assert "  - flips: 6 worse, 2 better, 191 unchanged of 199 paired by key (1 of 200 " in text
    # GitHub renders Markdown inside <details> only after blank lines: there are.
    assert "\n\n  <details><summary>The examples that changed most: 3 of 6 worse, 2 of 2 " in text
    assert "better</summary>\n\n" in text and "\n\n  </details>\n" in text
    rows = table_rows(text)
    assert rows[2] == ["", "Example", "Baseline", "Candidate", "Change", "Input"]
    assert metric.examples is not None
    shown = [*metric.examples.most_worse(), *metric.examples.most_better()]
    assert [row[1] for row in rows[3:]] == [change.key for change in shown]
    assert [row[0] for row in rows[3:]] == ["worse"] * 3 + ["better"] * 2
    assert rows[3][2:5] == ["1", "0", "-1"]
    assert rows[3][5] == shown[0].excerpt


def test_the_short_report_keeps_the_folded_examples_of_a_failing_metric() -> None:
    result = examples_result()
    assert result.metrics[0].fails_gate is False
    failing = examples_result(worse=12)
    short = ShortReport(failing, note="See the full report.").render(rows=5, details=5)
    assert "### Failed metrics" in short
    assert "<details><summary>The examples that changed most: 3 of 12 worse" in short


def test_the_summary_line_counts_the_flips() -> None:
    summary = render_stdout_summary(examples_result(worse=12))
    assert "flips: 12 worse, 2 better)" in summary


def test_keys_and_excerpts_from_logs_stay_inert() -> None:
    result = examples_result(hostile=INJECTION)
    text = render_markdown(result)
    flat = all_tokens(parse_markdown(text))
    assert not UNSAFE_TOKEN_TYPES.intersection(token.type for token in flat)
    shown = "".join(token.content for token in flat if token.type == "text")
    assert "@\u200doctocat" in shown and "<script>" in shown
    assert "<script" not in render_html(result).lower()
    junit = render_junit(result)
    (case,) = ET.fromstring(junit).iter("testcase")
    output = "".join(case.itertext())
    assert "flips: 6 worse, 2 better" in output
    assert "acc|uracy # Pwned <script>" in output  # on one line, as text


def test_the_json_report_lists_every_change_and_reads_back() -> None:
    result = examples_result(hostile=INJECTION)
    written: Any = to_json_dict(result)
    examples = written["metrics"][0]["examples"]
    assert len(examples["changes"]) == 8 and examples["shown"] == 3
    assert examples["unmatched"]["only_baseline"] == {"count": 1, "first": ["q0"]}
    assert INJECTION in {change["key"] for change in examples["changes"]}
    back = read_json_report(render_json(result), source="report.json")
    assert back.metrics[0].examples == result.metrics[0].examples
    # `rungate comment` renders from the file: the same comment as from the result.
    assert render_markdown(back) == render_markdown(result)


def test_a_report_whose_changes_do_not_add_up_is_refused() -> None:
    document: Any = to_json_dict(examples_result())
    document["metrics"][0]["examples"]["changes"].pop()
    with pytest.raises(UsageError, match=r"metrics\[0\]\.examples\.changes: lists 7 examples"):
        read_json_report(json.dumps(document), source="report.json")


def test_older_reports_without_examples_read_back() -> None:
    document: Any = to_json_dict(examples_result())
    del document["metrics"][0]["examples"]
    assert read_json_report(json.dumps(document), source="r.json").metrics[0].examples is None
