"""The rows of a shortened comment or job summary are the metrics that fail the gate,
and nothing else, whatever the parameters and their values look like."""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st
from support.markdown_tokens import table_rows
from support.results import metric, result

from gate.ci.actions import SUMMARY_LIMIT, SUMMARY_MARGIN, job_summary
from gate.publish.body import SAFETY_MARGIN, comment_body
from gate.report.escape import one_line
from gate.result import GateResult, MetricResult, ParamDifference, Verdict

FAILING = ("f1", "recall", "❌ adam")  # a failing metric can be named like a value, too
LOOKALIKES = [
    *FAILING,
    "❌ regression",
    "🚫 missing",
    "| f1 | ❌ regression |",
    "x\n| f1 | ❌ regression | 1 | 2 | 3 | 4 | 5 | 6 | 7 |",
    "- ❌ **f1** — regression",
    "## rungate: ✅ pass",
    "**bold** `code` [link](http://x)",
    "a|b",
]
texts = st.one_of(st.sampled_from(LOOKALIKES), st.text(max_size=30))
parameters = st.lists(
    st.builds(
        ParamDifference,
        name=texts,
        baseline=st.lists(texts, max_size=3).map(tuple),
        candidate=st.lists(texts, max_size=3).map(tuple),
    ),
    min_size=1,
    max_size=6,
)


@functools.cache
def metrics() -> tuple[MetricResult, ...]:
    """Three failing metrics among enough passes that no report below 12,000 fits whole."""
    passes = tuple(metric(f"metric_{i:03d}", Verdict.PASS) for i in range(120))
    failing = tuple(metric(name, Verdict.REGRESSION, reasons=("worse",)) for name in FAILING)
    return passes[:60] + failing + passes[60:]


def shown_metrics(short: str) -> list[str]:
    """The first cell of every table body row, after checking each is a metric's row."""
    header, *rows = table_rows(short)
    assert header[:2] == ["Metric", "Verdict"] and len(header) == 9
    assert all(len(row) == 9 and row[1].startswith("❌ regression") for row in rows), rows
    return [row[0] for row in rows]


def check_short(short: str, gate: GateResult) -> None:
    assert "Parameters that differ" not in short
    names = shown_metrics(short)
    assert names == [one_line(name) for name in FAILING][: len(names)] and names
    details = [line for line in short.splitlines() if line.startswith("- ")]
    assert len(details) <= len(names)  # a detail only below its metric's row


@settings(max_examples=80, deadline=None)
@given(parameters=parameters, room=st.integers(min_value=1_500, max_value=12_000))
def test_no_parameter_is_shown_as_a_failing_metric(
    parameters: list[ParamDifference], room: int
) -> None:
    gate = result(*metrics(), param_differences=tuple(parameters))
    comment = comment_body(gate, comment_id="x", limit=room + SAFETY_MARGIN)
    assert "is too long for a comment" in comment
    check_short(comment, gate)
    room = max(room, SUMMARY_MARGIN)  # with less room the job summary is left alone
    summary = job_summary(gate, already_written=SUMMARY_LIMIT - SUMMARY_MARGIN - room)
    assert summary is not None and "is too large for the job summary" in summary
    check_short(summary, gate)
