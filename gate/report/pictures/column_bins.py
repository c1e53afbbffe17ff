"""Fewer points than pixels: a long series aggregated per pixel column.

A chart of 1,000 commits in 90 columns draws 90 points, each the mean of its
commits, with the column's lowest and highest value as a band, so that no single
outlying commit disappears in the aggregation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnBin:
    """Consecutive points ``first..last`` (indices, inclusive) drawn as one."""

    first: int
    last: int
    mean: float
    low: float
    high: float

    @property
    def count(self) -> int:
        return self.last - self.first + 1


def bin_columns(values: Sequence[float], columns: int) -> list[ColumnBin]:
    """``values`` in at most ``columns`` bins of consecutive points, as even as they go."""
    count = len(values)
    bins = min(count, max(columns, 1))
    result = []
    for index in range(bins):
        first, last = index * count // bins, (index + 1) * count // bins - 1
        chunk = values[first : last + 1]
        result.append(ColumnBin(first, last, math.fsum(chunk) / len(chunk), min(chunk), max(chunk)))
    return result


def bin_of(bins: Sequence[ColumnBin], index: int) -> int:
    """The position of the bin that holds point ``index`` (bins are in order)."""
    low, high = 0, len(bins) - 1
    while low < high:
        middle = (low + high) // 2
        if bins[middle].last < index:
            low = middle + 1
        else:
            high = middle
    return low
