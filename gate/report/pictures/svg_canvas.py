"""The small pieces every SVG picture is made of: scales, ticks, escaped text, numbers."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from gate.report.escape import fmt_num, one_line

BASELINE_COLOUR = "#6e7781"
CANDIDATE_COLOUR = "#0969da"
FAIL_COLOUR = "#cf222e"
SHIFT_COLOUR = "#bf8700"
TREND_COLOUR = "#1a7f37"


def text(value: str, max_length: int = 120) -> str:
    """Text from a run file as SVG/HTML character data: one line, escaped."""
    return escape(one_line(value, max_length), quote=False)


def attr(value: str, max_length: int = 300) -> str:
    """Text as an attribute value (without the quotes around it)."""
    return escape(one_line(value, max_length), quote=True)


def coord(value: float) -> str:
    """A coordinate with one decimal: finer than a pixel would only cost bytes."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def finite(value: float | None) -> float | None:
    """``value`` if it can be placed on an axis, else None (not drawn)."""
    return value if value is not None and math.isfinite(value) else None


def label(value: float) -> str:
    return fmt_num(value, 3)


@dataclass(frozen=True)
class Scale:
    """A linear map from data values onto ``start..end`` pixels (``end`` < ``start`` for y)."""

    low: float
    high: float
    start: float
    end: float

    @classmethod
    def over(cls, values: Iterable[float], start: float, end: float, pad: float = 0.06) -> Scale:
        """A scale that shows every finite one of ``values`` with a margin of ``pad``."""
        finite = [value for value in values if math.isfinite(value)]
        low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
        span = high - low
        if span <= 0.0:  # all equal: centre them
            span = abs(low) * 0.1 or 1.0
            low, high = low - span / 2, high + span / 2
        return cls(low - span * pad, high + span * pad, start, end)

    def __call__(self, value: float) -> float:
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)

    def clamped(self, value: float) -> float:
        return min(max(self(value), min(self.start, self.end)), max(self.start, self.end))

    def ticks(self, most: int = 5) -> list[float]:
        """Round values (1, 2 or 5 times a power of ten apart) inside the scale."""
        ticks: list[float] = []
        for tries in range(3):  # a narrow scale can fall between round values: try finer
            step = _nice_step((self.high - self.low) / max(most - 1 + 2 * tries, 1))
            first = math.ceil(self.low / step)
            ticks = [k * step for k in range(first, math.floor(self.high / step) + 1)]
            if len(ticks) >= 2:
                break
        return ticks


def _nice_step(raw: float) -> float:
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if raw <= factor * power:
            return factor * power
    return 10.0 * power


def svg_open(width: int, height: int, label_text: str, css_class: str) -> str:
    """An inline SVG element that scales down with its container and names itself."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{attr(label_text)}" font-size="11" font-family="sans-serif">'
    )
