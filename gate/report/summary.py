"""The short plain-text summary ``rungate check`` prints on stdout (not the job summary:
that is the Markdown report, see ``gate.ci.actions.job_summary``)."""

from __future__ import annotations

from gate.report.escape import MAX_TEXT_LENGTH, fmt_level, fmt_num, fmt_p, one_line
from gate.report.wording import count_phrases, signed_change
from gate.result import GateResult, MetricResult, Verdict

NAME_COLUMN_LIMIT = 40  # longer names are not padded, so one long name cannot push every line
VERDICT_COLUMN_WIDTH = max(len(verdict.value) for verdict in Verdict)
FOLD_FROM = 10  # more non-failing metrics to mention than this are grouped by verdict
NAMES_SHOWN = 10


def _headline(result: GateResult) -> str:
    """``rungate: FAIL (4 metrics: 2 regressions, 1 missing, 1 pass)``."""
    total = len(result.metrics)
    if total == 0:
        return f"rungate: {result.verdict.upper()} (no metrics compared)"
    counts = [*count_phrases(result, failing=True), *count_phrases(result, failing=False)]
    if result.count(Verdict.PASS):
        counts.append(f"{result.count(Verdict.PASS)} pass")
    metrics_word = "metric" if total == 1 else "metrics"
    return f"rungate: {result.verdict.upper()} ({total} {metrics_word}: {', '.join(counts)})"


def _p_part(metric: MetricResult) -> str | None:
    # An improvement is judged by its own test; the regression p is near 1 there.
    corrected = metric.correction != "none"
    label, p_value = "p", metric.p_adjusted if corrected else metric.p_value
    if metric.verdict is Verdict.IMPROVEMENT and metric.p_improvement is not None:
        label = "p(better)"
        p_value = metric.p_improvement_adjusted if corrected else metric.p_improvement
    if corrected:
        label += "(adj.)"
    if p_value is None:
        return None
    text = fmt_p(p_value)
    return f"{label}{text}" if text.startswith("<") else f"{label}={text}"


def _tolerance_parts(metric: MetricResult) -> list[str]:
    parts: list[str] = []
    spec = None if metric.tolerance_spec is None else one_line(metric.tolerance_spec)
    if spec is not None and spec.endswith("%"):
        absolute = "" if metric.tolerance is None else f" = {fmt_num(metric.tolerance)}"
        parts.append(f"tolerance {spec}{absolute}")
    elif metric.tolerance is not None:
        parts.append(f"tolerance {fmt_num(metric.tolerance)}")
    elif spec:
        parts.append(f"tolerance {spec}")
    if metric.at_least is not None:
        parts.append(f"at least {fmt_num(metric.at_least)}")
    if metric.at_most is not None:
        parts.append(f"at most {fmt_num(metric.at_most)}")
    return parts


def _details(metric: MetricResult) -> str:
    parts: list[str] = []
    change = signed_change(metric)
    if change is not None:
        delta, percent = change
        parts.append(f"Δ {delta}" + (f", {percent}" if percent else ""))
    if metric.ci_low is not None or metric.ci_high is not None:
        level = "" if metric.ci_level is None else f"{fmt_level(metric.ci_level)} "
        about = "" if metric.estimate_name is None else f" of the {metric.estimate_name}"
        interval = f"{level}CI{about} [{fmt_num(metric.ci_low)}, {fmt_num(metric.ci_high)}]"
        if metric.estimate_name is not None:
            interval += f" around {fmt_num(metric.estimate, signed=True)}"
        parts.append(interval)
    p_part = _p_part(metric)
    if p_part is not None:
        parts.append(p_part)
    parts.extend(_tolerance_parts(metric))
    if metric.examples is not None:
        evidence = metric.examples
        kind = "flips" if evidence.binary else "examples"
        parts.append(f"{kind}: {evidence.worse} worse, {evidence.better} better")
    return f" ({'; '.join(parts)})" if parts else ""


def _metric_line(metric: MetricResult, name_width: int) -> str:
    unit = "" if metric.unit is None else f" {one_line(metric.unit, 20)}"
    means = f"{fmt_num(metric.baseline.mean)} -> {fmt_num(metric.candidate.mean)}{unit}"
    line = (
        f"  {metric.verdict.value:<{VERDICT_COLUMN_WIDTH}}  "
        f"{one_line(metric.name):<{name_width}}  {means}{_details(metric)}"
    )
    if metric.reasons:
        line += f": {one_line(metric.reasons[0], MAX_TEXT_LENGTH * 5)}"
    return line


def render_stdout_summary(result: GateResult) -> str:
    """A verdict line, then a line per metric that fails the gate, worst first; then a
    line per other metric that is not a plain pass, or, when there are more than
    ``FOLD_FROM`` of those, a line per verdict that counts and names them, so that 200
    inconclusive metrics do not bury the verdict."""
    shown = [metric for metric in result.worst_first() if metric.verdict is not Verdict.PASS]
    failing = [metric for metric in shown if metric.fails_gate]
    others = [metric for metric in shown if not metric.fails_gate]
    listed = failing if len(others) > FOLD_FROM else shown
    name_width = max(
        (min(len(one_line(metric.name)), NAME_COLUMN_LIMIT) for metric in listed), default=0
    )
    lines = [_headline(result), *(_metric_line(metric, name_width) for metric in listed)]
    if len(others) > FOLD_FROM:
        lines.extend(_group_line(verdict, others) for verdict in Verdict)
    return "\n".join(line for line in lines if line) + "\n"


def _group_line(verdict: Verdict, metrics: list[MetricResult]) -> str:
    names = [
        one_line(metric.name, NAME_COLUMN_LIMIT) for metric in metrics if metric.verdict is verdict
    ]
    if not names:
        return ""
    more = f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else ""
    return (
        f"  {verdict.value:<{VERDICT_COLUMN_WIDTH}}  {len(names)} metrics: "
        f"{', '.join(names[:NAMES_SHOWN])}{more} (the Markdown report has each one's details)"
    )
