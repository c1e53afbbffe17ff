"""The words and symbols every report uses for verdicts and directions."""

from __future__ import annotations

from gate.result import GateResult, Verdict

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

_ARROWS = {"higher": "↑ higher", "lower": "↓ lower"}


def verdict_label(verdict: Verdict) -> str:
    return verdict.value.replace("_", " ")


def count_phrase(verdict: Verdict, count: int) -> str:
    """``"1 regression"``, ``"2 regressions"``, ``"3 missing"``."""
    word = verdict_label(verdict) if count == 1 else _PLURALS.get(verdict, verdict_label(verdict))
    return f"{count} {word}"


def count_phrases(result: GateResult, *, failing: bool) -> list[str]:
    """Counts of the verdicts that do (or do not) fail the gate, pass left out."""
    return [
        count_phrase(verdict, result.count(verdict))
        for verdict in HEADLINE_ORDER
        if verdict.fails_gate == failing and result.count(verdict)
    ]


def direction_arrow(direction: str) -> str | None:
    """``"↑ higher"`` or ``"↓ lower"`` (is better); None for a direction not known here."""
    return _ARROWS.get(direction)
