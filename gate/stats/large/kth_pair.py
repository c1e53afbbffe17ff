"""The k-th smallest pairwise difference or Walsh average, without listing them all.

The pairs form a matrix whose rows are sorted (a sorted sample against another
sorted one), so the number of pairs below any value is a sum over rows of one
binary search each. A pivot drawn at random from the pairs still in play halves
them on average (a randomised selection in the manner of Monahan, 1984): about
log(n1 * n2) rounds of O(n log n) each, and O(n) memory.

Every value is computed exactly as the full matrix would compute it
(``c - b``, ``(d_i + d_j) / 2``), and rounding is monotone, so each row stays
sorted and the answer is bit for bit the one ``np.sort`` of all pairs would give.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from gate.stats import Sample

Index = npt.NDArray[np.int64]
# value(rows, columns): the pairs' values at these positions (each row ascending in column)
Values = Callable[[Index, Index], Sample]

FINISH = 50_000  # pairs still in play at which the rest are simply listed and partitioned


def kth_difference(candidate: Sample, baseline: Sample, k: int, *, finish: int = FINISH) -> float:
    """The k-th smallest (1-based) of all ``candidate[i] - baseline[j]``; ``finish``: the
    pairs still in play at which the rest are listed."""
    cand, base = np.sort(candidate), np.sort(baseline)[::-1].copy()  # rows ascending
    n1, n2 = cand.size, base.size

    def value(rows: Index, columns: Index) -> Sample:
        values: Sample = cand[rows] - base[columns]
        return values

    return _kth(value, np.zeros(n1, np.int64), np.full(n1, n2, np.int64), k, finish)


def kth_walsh(differences: Sample, k: int, *, finish: int = FINISH) -> float:
    """The k-th smallest (1-based) of all ``(d[i] + d[j]) / 2`` with ``i <= j``."""
    d = np.sort(differences)
    n = d.size

    def value(rows: Index, columns: Index) -> Sample:
        values: Sample = (d[rows] + d[columns]) / 2
        return values

    return _kth(value, np.arange(n, dtype=np.int64), np.full(n, n, np.int64), k, finish)


def _kth(value: Values, start: Index, end: Index, k: int, finish: int) -> float:
    """Row i holds the pairs at columns start[i] to end[i] - 1, ascending."""
    if not 1 <= k <= int((end - start).sum()):
        raise ValueError(f"k={k} is outside the pairs")
    rows = np.arange(start.size, dtype=np.int64)
    low, high = start.copy(), end.copy()  # the columns still in play, per row
    rng = np.random.default_rng(k)  # any pivot gives the same answer; the seed only fixes speed
    while True:
        sizes = high - low
        remaining = int(sizes.sum())
        below = int((low - start).sum())  # pairs known to lie below the answer
        if remaining <= finish:
            rows_left = np.repeat(rows, sizes)
            offsets = np.arange(remaining) - np.repeat(np.cumsum(sizes) - sizes, sizes)
            left = value(rows_left, low[rows_left] + offsets)
            return float(np.partition(left, k - below - 1)[k - below - 1])
        pick = int(rng.integers(remaining))
        row = int(np.searchsorted(np.cumsum(sizes), pick, side="right"))
        before = int(sizes[:row].sum())
        pivot = float(value(np.array([row]), np.array([low[row] + pick - before]))[0])
        less = _first_at_least(value, rows, low, high, pivot, strict=True)
        at_most = _first_at_least(value, rows, less, high, pivot, strict=False)
        count_less = int((less - start).sum())
        count_at_most = int((at_most - start).sum())
        if k <= count_less:
            high = less
        elif k <= count_at_most:
            return pivot
        else:
            low = at_most


def _first_at_least(
    value: Values, rows: Index, low: Index, high: Index, pivot: float, *, strict: bool
) -> Index:
    """Per row, the first column in [low, high) whose value is >= pivot (> when not strict):
    a binary search in every row at once."""
    lo: Index = low.copy()
    hi: Index = high.copy()
    while True:
        open_ = lo < hi
        if not open_.any():
            return lo
        middle = (lo + hi) // 2
        probe = np.where(open_, middle, low)  # closed rows look at a valid column, unused
        values = value(rows, np.minimum(probe, np.maximum(high - 1, 0)))
        beyond = values >= pivot if strict else values > pivot
        hi = np.where(open_ & beyond, middle, hi)
        lo = np.where(open_ & ~beyond, middle + 1, lo)
