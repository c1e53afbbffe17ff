"""The words and symbols every report uses for verdicts, directions and changes."""

from __future__ import annotations

from collections import Counter

from gate.report.escape import fmt_num, fmt_pct, one_line
from gate.result import GateResult, MetricResult, Verdict
from gate.vocabulary import Direction

VERDICT_EMOJI: dict[Verdict, str] = {
    Verdict.MISSING: "🚫",
    Verdict.REGRESSION: "❌",
    Verdict.INCONCLUSIVE: "⚠️",
    Verdict.INSUFFICIENT: "❔",
    Verdict.NO_BASELINE: "🆕",
    Verdict.PASS: "✅",
    Verdict.IMPROVEMENT: "🚀",
}

# Headlines name regressions before missing metrics: they are the usual news.
HEADLINE_ORDER = (
    Verdict.REGRESSION,
    Verdict.MISSING,
    Verdict.INCONCLUSIVE,
    Verdict.INSUFFICIENT,
    Verdict.NO_BASELINE,
    Verdict.IMPROVEMENT,
)

_PLURALS = {Verdict.REGRESSION: "regressions", Verdict.IMPROVEMENT: "improvements"}

_ARROWS = {Direction.HIGHER: "↑ higher", Direction.LOWER: "↓ lower"}


def verdict_label(verdict: Verdict) -> str:
    return verdict.value.replace("_", " ")


def count_phrase(verdict: Verdict, count: int) -> str:
    """``"1 regression"``, ``"2 regressions"``, ``"3 missing"``."""
    word = verdict_label(verdict) if count == 1 else _PLURALS.get(verdict, verdict_label(verdict))
    return f"{count} {word}"


def count_phrases(result: GateResult, *, failing: bool) -> list[str]:
    """Counts of the verdicts of metrics that do (or do not) fail the gate, pass left out.

    In non-inferiority mode an inconclusive metric fails the gate, so this counts
    metrics by whether they fail, not verdicts by whether they usually do.
    """
    counts = Counter(m.verdict for m in result.metrics if m.fails_gate == failing)
    return [count_phrase(verdict, counts[verdict]) for verdict in HEADLINE_ORDER if counts[verdict]]


def metric_emoji(metric: MetricResult) -> str:
    """The verdict's emoji, or a cross for a verdict that fails only in this metric's mode."""
    if metric.fails_gate and not metric.verdict.fails_gate:
        return VERDICT_EMOJI[Verdict.REGRESSION]
    return VERDICT_EMOJI[metric.verdict]


def correction_label(result: GateResult) -> str | None:
    """``Holm correction over 4 metrics``, or None when nothing was corrected."""
    names = {"holm": "Holm", "bh": "Benjamini-Hochberg"}
    tested = sum(1 for metric in result.metrics if metric.p_value is not None)
    if result.correction not in names:
        return None
    return f"{names[result.correction]} correction over {tested} tested metrics"


def direction_arrow(direction: Direction) -> str:
    """``"↑ higher"`` or ``"↓ lower"``: which way is better."""
    return _ARROWS[direction]


def signed_change(metric: MetricResult) -> tuple[str, str | None] | None:
    """Candidate minus baseline, signed, and in percent: ``("-0.05", "-5.6%")``.

    None when no change was computed; the percentage is None when it could not be.
    """
    if metric.delta is None:
        return None
    percent = None if metric.delta_pct is None else fmt_pct(metric.delta_pct, signed=True)
    return fmt_num(metric.delta, signed=True), percent


def means_and_change(metric: MetricResult) -> list[str]:
    """``baseline 0.9 (n=5)``, ``candidate 0.85 (n=5)`` and ``change -0.05 (-5.6%)``.

    The one-line account of a metric's numbers in the JUnit report and the annotations;
    the change is left out when it was not computed.
    """
    parts = [
        f"baseline {fmt_num(metric.baseline.mean)} (n={metric.baseline.n})",
        f"candidate {fmt_num(metric.candidate.mean)} (n={metric.candidate.n})",
    ]
    change = signed_change(metric)
    if change is not None:
        delta, percent = change
        parts.append(f"change {delta}" + (f" ({percent})" if percent else ""))
    return parts


def example_lines(metric: MetricResult) -> list[str]:
    """Plain-text lines on a metric paired by example key (JUnit): the counts, then the
    examples that changed most each way, ids and excerpts on one short line each."""
    evidence = metric.examples
    if evidence is None:
        return []
    kind = "flips" if evidence.binary else "examples"
    lines = [
        f"{kind}: {evidence.worse} worse, {evidence.better} better, {evidence.unchanged} "
        f"unchanged of {evidence.examples} paired by key"
    ]
    for label, changes in (("worse", evidence.most_worse()), ("better", evidence.most_better())):
        for change in changes:
            excerpt = f": {one_line(change.excerpt, 80)}" if change.excerpt else ""
            lines.append(
                f"{label}: {one_line(change.key, 60)} ({fmt_num(change.baseline)} -> "
                f"{fmt_num(change.candidate)}){excerpt}"
            )
    return lines
