"""The pictures section of the HTML report: a figure per metric, worst first."""

from __future__ import annotations

from gate.report.escape import fmt_level
from gate.report.pictures.svg_canvas import FAIL_COLOUR, text
from gate.report.pictures.svg_runs import change_interval, runs_svg, tolerance_line
from gate.report.pictures.svg_trend import CandidateMark, Guide, trend_svg
from gate.result import GateResult, MetricResult

MAX_FIGURES = 100  # worst first; past that a page of pictures helps nobody


def metric_figure(metric: MetricResult) -> str:
    """One metric's figure (its runs; main's trend when there is history), or "".

    A picture is an aid, never a reason to fail: values a scale cannot span (denormal
    differences, spans past the largest float) leave the metric without one."""
    try:
        return _figure(metric)
    except (ArithmeticError, ValueError):  # ValueError: a NaN pixel turned into an int
        return ""


def _figure(metric: MetricResult) -> str:
    runs = runs_svg(metric)
    trend = trend_svg(
        metric.name,
        metric.picture.trend,
        shifts=metric.picture.shifts,
        candidate=CandidateMark(
            values=metric.picture.candidate,
            mean=metric.candidate.mean,
            interval=change_interval(metric),
            failing=metric.fails_gate,
        ),
        guides=_guides(metric),
    )
    if not runs and not trend:
        return ""
    return (
        f'<figure class="metric"><figcaption><strong>{text(metric.name)}</strong> '
        f"— {metric.verdict.value}. {_legend(metric, bool(trend))}</figcaption>"
        f"{runs}{trend}</figure>\n"
    )


def pictures_section(result: GateResult) -> str:
    """The figures of the first ``MAX_FIGURES`` metrics, worst first, as HTML."""
    metrics = result.worst_first()
    figures = [figure for figure in map(metric_figure, metrics[:MAX_FIGURES]) if figure]
    if not figures:
        return ""
    more = len(metrics) - MAX_FIGURES
    tail = f"<p>The pictures of {more} more metrics are left out.</p>\n" if more > 0 else ""
    heading = '<section class="pictures">\n<h2>Pictures</h2>\n'
    return heading + "".join(figures) + tail + "</section>"


def _guides(metric: MetricResult) -> list[Guide]:
    guides = []
    tolerance = tolerance_line(metric)
    if tolerance is not None:
        guides.append(Guide(tolerance, "tolerance", "#bc4c00"))
    for value, sign in ((metric.at_least, "≥"), (metric.at_most, "≤")):
        if value is not None:
            guides.append(Guide(value, f"limit {sign}", FAIL_COLOUR))
    return guides


def _legend(metric: MetricResult, trend: bool) -> str:
    words = ["Dots: runs; bars: means, with ± one standard deviation"]
    if change_interval(metric) is not None:
        words.append(
            f"shaded: the {fmt_level(metric.ci_level)} interval of the change, from the "
            "baseline mean"
        )
    if tolerance_line(metric) is not None:
        words.append("dashed: the tolerance, beyond which the mean is worse than tolerated")
    if metric.at_least is not None or metric.at_most is not None:
        words.append("red: the limits")
    if trend:
        words.append("below: main's mean per recorded commit, oldest first, and this change")
        if metric.picture.shifts:
            words.append("dashed orange: detected shifts, with the level between them")
    return "; ".join(words) + "."
