"""The policy keys of pairing by example key (evaluation logs): how many examples may be
left unpaired before the gate refuses to judge, and how many changed examples to list."""

from __future__ import annotations

from dataclasses import dataclass

from gate.policy.values import PERCENT
from gate.policy.yamldoc import Path_, YamlDocument

MOST_SHOWN = 1000


@dataclass(frozen=True)
class UnmatchedLimit:
    """At most this many examples, or this fraction of them, may be left unpaired."""

    value: float
    fraction: bool = True

    @property
    def spec(self) -> str:
        return f"{self.value * 100:g}%" if self.fraction else f"{self.value:g}"

    def exceeded(self, excluded: int, total: int) -> bool:
        if self.fraction:
            return total > 0 and excluded > self.value * total
        return excluded > self.value


DEFAULT_UNMATCHED = UnmatchedLimit(0.05)


def unmatched_limit(doc: YamlDocument, path: Path_, value: object) -> UnmatchedLimit:
    """``5%`` or ``0.05`` (a fraction of the examples), or a whole number of them (``0``,
    ``20``): a number below 1 is a fraction, a whole number from 1 a count."""
    if isinstance(value, str) and (match := PERCENT.match(value)):
        percent = float(match.group(1))
        if percent <= 100:
            return UnmatchedLimit(percent / 100)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if 0 <= value < 1:
            return UnmatchedLimit(float(value))
        if value >= 1 and float(value).is_integer():
            return UnmatchedLimit(float(value), fraction=False)
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    raise doc.error(
        path,
        "must be a share of the examples ('5%' or 0.05) or a whole number of them (0, 20), "
        f"not {shown}",
    )


def shown_examples(doc: YamlDocument, path: Path_, value: object) -> int:
    """How many of the most changed examples the reports list each way: 0 to 1000."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MOST_SHOWN:
        return value
    raise doc.error(path, f"must be a whole number from 0 to {MOST_SHOWN}, not {value!r:.80}")
