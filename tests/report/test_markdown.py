from __future__ import annotations

import dataclasses

import pytest
from support.markdown_tokens import UNSAFE_TOKEN_TYPES, all_tokens, parse_markdown
from support.results import (
    INJECTION,
    check_expected,
    empty_result,
    every_verdict_result,
    injection_result,
    passing_result,
)
from support.results import metric as sample_metric
from support.results import result as sample_result

import gate
from gate.report.escape import md_escape
from gate.report.markdown import render_markdown
from gate.report.wording import VERDICT_EMOJI
from gate.result import GateResult, Verdict


@pytest.mark.parametrize(
    ("name", "result"),
    [
        ("every_verdict.md", every_verdict_result()),
        ("passing.md", passing_result()),
        ("empty.md", empty_result()),
        ("injection.md", injection_result()),
    ],
)
def test_matches_expected_file(
    name: str, result: GateResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gate, "__version__", "0.0.0")  # so a release does not change the files
    check_expected(name, render_markdown(result))


def test_first_line_gives_the_verdict() -> None:
    failing = render_markdown(every_verdict_result()).splitlines()[0]
    assert failing == "## rungate: ❌ fail — 1 regression, 1 missing"
    assert render_markdown(passing_result()).splitlines()[0] == "## rungate: ✅ pass"


def test_lists_every_metric_worst_first_with_its_emoji() -> None:
    result = every_verdict_result()
    rows = [line for line in render_markdown(result).splitlines() if line.startswith("| ")]
    metric_rows = rows[1 : 1 + len(result.metrics)]
    for row, metric in zip(metric_rows, result.worst_first(), strict=True):
        assert row.startswith(f"| {md_escape(metric.name)} | ")
        assert VERDICT_EMOJI[metric.verdict] in row
    assert {metric.verdict for metric in result.metrics} == set(Verdict)


def test_plain_passes_get_no_details() -> None:
    markdown = render_markdown(passing_result())
    assert "### Details" not in markdown
    noted = dataclasses.replace(
        passing_result().metrics[0], notes=("two runs were left out",), name="noted"
    )
    with_note = dataclasses.replace(passing_result(), metrics=(noted,))
    assert "- ✅ **noted** — pass\n  - note: two runs were left out\n" in render_markdown(with_note)


def test_injected_strings_stay_inert() -> None:
    tokens = parse_markdown(render_markdown(injection_result()))
    flat = all_tokens(tokens)
    types = [token.type for token in flat]
    assert not UNSAFE_TOKEN_TYPES.intersection(types)
    headings = [token.tag for token in flat if token.type == "heading_open"]
    assert headings == ["h2", "h3", "h3", "h3"]  # the title, Details, Parameters, Notes
    assert types.count("table_open") == 2

    cells_per_row: list[int] = []
    for token in flat:
        if token.type == "tr_open":
            cells_per_row.append(0)
        elif token.type in ("th_open", "td_open"):
            cells_per_row[-1] += 1
    assert cells_per_row == [9, 9, 3, 3]

    shown = "".join(token.content for token in flat if token.type == "text")
    assert "@octocat" not in shown  # a zero-width joiner follows every "@"
    assert "@\u200doctocat" in shown
    assert "<script>" in shown  # as text, not as markup
    assert INJECTION.splitlines()[0] in shown


def test_an_interval_about_another_estimate_names_it() -> None:
    from gate.report.json_read import read_json_report
    from gate.report.json_report import render_json
    from gate.report.summary import render_stdout_summary
    from gate.vocabulary import TestName

    shifted = sample_result(
        sample_metric(
            "acc",
            Verdict.REGRESSION,
            test=TestName.MANNWHITNEY,
            estimate=-0.1,
            estimate_name="location shift (Hodges-Lehmann)",
            ci_low=-0.2,
            ci_high=-0.05,
            ci_level=0.9,
        )
    )
    text = render_markdown(shifted)
    assert "(90%, of the location shift (Hodges-Lehmann): -0.1)" in text
    assert "CI of the location shift (Hodges-Lehmann) [" in render_stdout_summary(shifted)
    assert render_markdown(read_json_report(render_json(shifted), source="r.json")) == text
