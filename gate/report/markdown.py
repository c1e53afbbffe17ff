"""The Markdown report: a GitHub pull-request comment that also reads as plain text.

Two forms from the same template pieces (``templates/report_parts.md.j2``): the full
report, and a short one for places with a size limit, which shows only the metrics
that fail the gate. Both are rendered from the result; nothing reads rendered text back.
"""

from __future__ import annotations

from collections import Counter

import gate
from gate.report.templates import render
from gate.report.wording import correction_label, count_phrases
from gate.result import GateResult, MetricResult, Verdict

LONG_TEXT_LENGTH = 1000  # reasons and notes are prose, so they get more room than names
MAX_PARAM_VALUES = 10
FOLD_FROM = 10  # more details of metrics that pass the gate than this are folded


def needs_details(metric: MetricResult) -> bool:
    """Everything but a bare pass: what a pass could have missed is worth a line too."""
    return (
        metric.verdict is not Verdict.PASS
        or bool(metric.reasons or metric.notes)
        or metric.detectable_drop is not None
    )


def failing_metrics(result: GateResult) -> list[MetricResult]:
    """The metrics that fail the gate, in the order the reports list them."""
    return [metric for metric in result.worst_first() if metric.fails_gate]


def _context(result: GateResult) -> dict[str, object]:
    return {
        "result": result,
        "headline": count_phrases(result, failing=True),
        "long_text": LONG_TEXT_LENGTH,
        "max_param_values": MAX_PARAM_VALUES,
    }


def render_markdown(result: GateResult) -> str:
    """The full report. The details of metrics that do not fail the gate are folded into a
    ``<details>`` block when there are more than ``FOLD_FROM`` of them, so that a flood of
    inconclusive metrics cannot push the failing ones out of sight."""
    metrics = result.worst_first()
    detailed = [metric for metric in metrics if needs_details(metric)]
    others = [metric for metric in detailed if not metric.fails_gate]
    folded = others if len(others) > FOLD_FROM else []
    return render(
        "report.md.j2",
        **_context(result),
        metrics=metrics,
        detailed=[metric for metric in detailed if metric not in folded],
        folded=folded,
        folded_counts=Counter(metric.verdict for metric in folded),
        correction=correction_label(result),
        version=gate.__version__,
    )


def render_error_markdown(message: str) -> str:
    """The comment of a gate that could not judge: the one-line error, escaped."""
    return render(
        "report_error.md.j2",
        message=message,
        long_text=LONG_TEXT_LENGTH,
        version=gate.__version__,
    )


class ShortReport:
    """The short form of one result's report: the verdict, a note (our Markdown, not run
    data), then the table rows and the details of the first failing metrics.

    It is rendered many times over while a caller looks for how many metrics fit, so
    what does not change between renders is worked out once.
    """

    def __init__(self, result: GateResult, *, note: str) -> None:
        self.failing = failing_metrics(result)
        self._context = {**_context(result), "note": note}

    def render(self, *, rows: int, details: int) -> str:
        shown = self.failing[:rows]
        return render(
            "report_short.md.j2",
            **self._context,
            rows=shown,
            hidden=len(self.failing) - len(shown),
            details=self.failing[:details],
        )
