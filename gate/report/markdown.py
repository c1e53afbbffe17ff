"""The Markdown report: a GitHub pull-request comment that also reads as plain text."""

from __future__ import annotations

import gate
from gate.report.templates import render
from gate.report.wording import correction_label, count_phrases
from gate.result import GateResult, MetricResult, Verdict

LONG_TEXT_LENGTH = 1000  # reasons and notes are prose, so they get more room than names
MAX_PARAM_VALUES = 10


def needs_details(metric: MetricResult) -> bool:
    """Everything but a bare pass: what a pass could have missed is worth a line too."""
    return (
        metric.verdict is not Verdict.PASS
        or bool(metric.reasons or metric.notes)
        or metric.detectable_drop is not None
    )


def render_markdown(result: GateResult) -> str:
    metrics = result.worst_first()
    return render(
        "report.md.j2",
        result=result,
        metrics=metrics,
        detailed=[metric for metric in metrics if needs_details(metric)],
        headline=count_phrases(result, failing=True),
        correction=correction_label(result),
        version=gate.__version__,
        long_text=LONG_TEXT_LENGTH,
        max_param_values=MAX_PARAM_VALUES,
    )
