"""The bootstrap kernel: many resampled statistics of one sample, fast and in bounded memory.

A resample is a row of counts (how often each value was drawn); the resampled
mean is that row times the data, so a block of resamples is one matrix
product. The count rows come from one flat ``bincount`` of the drawn indices,
offset per row. Blocks keep memory bounded for 100,000 per-example scores.

Resamples are drawn from ``(seed, stream, n)``: the same inputs always give the
same answer, and the metrics of a gate with the same number of runs share one
set of count rows (cached), so a gate of 200 metrics draws them once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gate.stats import Sample
from gate.vocabulary import Statistic

Counts = npt.NDArray[np.int64]

BLOCK_CELLS = 2_000_000  # count cells per block: about 16 MB of int64
COMPRESSION = 4  # draw distinct values, not positions, when each repeats this often on average


def resampled_statistics(
    sample: Sample,
    resamples: int,
    seed: int,
    stream: int = 0,
    statistic: Statistic = Statistic.MEAN,
) -> Sample:
    """``statistic`` of ``resamples`` bootstrap resamples of ``sample``."""
    support = _Support.of(sample, ordered=statistic is not Statistic.MEAN)
    reduce = _STATISTICS[statistic]
    out = np.empty(resamples)
    for rows, counts in support.count_blocks(resamples, seed, stream):
        out[rows] = reduce(np.asarray(counts, dtype=np.int64), support.values, sample.size)
    return out


def resampled_means_and_variances(
    sample: Sample, resamples: int, seed: int, stream: int = 0
) -> tuple[Sample, Sample]:
    """Mean and variance (ddof 1) of each resample: the same count rows times x and x**2.

    Inside ``gate.stats.resampling.batch.measure_batched`` the answer may come from one
    product for many samples with the same count rows."""
    from gate.stats.resampling.batch import batched_moments

    known = batched_moments(sample, resamples, seed, stream)
    if known is not None:
        return known
    n = sample.size
    support = _Support.of(sample, ordered=False)
    moments = raw_moments(support.values, n)
    means, squares = np.empty(resamples), np.empty(resamples)
    for rows, counts in support.count_blocks(resamples, seed, stream, as_float=True):
        block = counts @ moments
        means[rows], squares[rows] = block[:, 0], block[:, 1]
    return means, variances_from(means, squares, n)


def raw_moments(values: Sample, n: int) -> Sample:
    """The columns x / n and x**2 / n: count rows times them give a resample's moments."""
    moments: Sample = np.column_stack((values, values**2)) / n
    return moments


def variances_from(means: Sample, squares: Sample, n: int) -> Sample:
    """``max(squares - means**2, 0) * n / (n - 1)``, in that order (the same bits), in one
    buffer: for 200 metrics x 10,000 resamples each new array costs 16 MB of fresh pages."""
    variances: Sample = np.multiply(means, means)
    np.subtract(squares, variances, out=variances)
    np.maximum(variances, 0.0, out=variances)
    variances *= n
    variances /= n - 1
    return variances


def batchable(sample: Sample, resamples: int) -> bool:
    """Whether the sample is resampled with the shared, cached count rows."""
    return _Support.of(sample, ordered=False).shares is None and sample.size * resamples <= (
        BLOCK_CELLS
    )


def float_count_rows(n: int, resamples: int, seed: int, stream: int) -> Sample:
    """The shared count rows of ``batchable`` samples, as float64."""
    return _cached_float_counts(n, resamples, seed, stream)


@dataclass(frozen=True)
class _Support:
    """The values a resample draws from.

    Per-example scores often take a handful of values (0/1 outcomes, their
    differences in -1, 0, 1). Then a resample is fully described by how often
    it draws each distinct value, a multinomial draw of a few cells instead of
    ``n`` indices: the same distribution, at a fraction of the cost.
    """

    values: Sample
    size: int
    shares: Sample | None = None  # each distinct value's share, when compressed

    @staticmethod
    def of(sample: Sample, *, ordered: bool) -> _Support:
        distinct, frequencies = np.unique(sample, return_counts=True)
        if distinct.size * COMPRESSION <= sample.size:
            return _Support(distinct, sample.size, frequencies / sample.size)
        return _Support(np.sort(sample) if ordered else sample, sample.size)

    def count_blocks(
        self, resamples: int, seed: int, stream: int, *, as_float: bool = False
    ) -> Iterator[tuple[slice, Counts | Sample]]:
        """Blocks of resamples as count rows: row r counts how often each value was drawn.

        ``as_float``: the cached rows as float64 (exact), for a matrix product that goes
        straight to BLAS instead of converting the integers on every call."""
        n, cells = self.size, self.values.size
        if self.shares is None and n * resamples <= BLOCK_CELLS:
            cached = _cached_float_counts if as_float else _cached_counts
            yield slice(0, resamples), cached(n, resamples, seed, stream)
            return
        rng = np.random.default_rng((seed, stream, n))
        rows_per_block = max(1, BLOCK_CELLS // cells)
        for start in range(0, resamples, rows_per_block):
            rows = min(rows_per_block, resamples - start)
            if self.shares is None:
                counts = _counts(rng, rows, n)
            else:
                counts = rng.multinomial(n, self.shares, size=rows)
            yield slice(start, start + rows), counts


@functools.lru_cache(maxsize=16)
def _cached_counts(n: int, resamples: int, seed: int, stream: int) -> Counts:
    counts = _counts(np.random.default_rng((seed, stream, n)), resamples, n)
    counts.flags.writeable = False  # shared between metrics: nobody may change it
    return counts


@functools.lru_cache(maxsize=16)
def _cached_float_counts(n: int, resamples: int, seed: int, stream: int) -> Sample:
    counts: Sample = _cached_counts(n, resamples, seed, stream).astype(np.float64)
    counts.flags.writeable = False
    return counts


def _counts(rng: np.random.Generator, rows: int, n: int) -> Counts:
    picks = rng.integers(0, n, size=(rows, n))
    picks += np.arange(rows)[:, None] * n
    counts: Counts = np.bincount(picks.ravel(), minlength=rows * n).reshape(rows, n)
    return counts


def statistic_of(sample: Sample, statistic: Statistic) -> float:
    """The statistic of the sample itself (every value drawn once)."""
    ordered = sample if statistic is Statistic.MEAN else np.sort(sample)
    once = np.ones((1, sample.size), dtype=np.int64)
    return float(_STATISTICS[statistic](once, ordered, sample.size)[0])


def _mean(counts: Counts, values: Sample, n: int) -> Sample:
    means: Sample = counts @ values / n
    return means


def _median(counts: Counts, ordered: Sample, n: int) -> Sample:
    cumulative = np.cumsum(counts, axis=1)
    lower = np.argmax(cumulative >= (n + 1) // 2, axis=1)
    upper = np.argmax(cumulative >= n // 2 + 1, axis=1)
    medians: Sample = (ordered[lower] + ordered[upper]) / 2
    return medians


def _interquartile_mean(counts: Counts, ordered: Sample, n: int) -> Sample:
    # Each value's weight is the part of its run of draws that falls inside the middle half,
    # cutting a whole quarter (rounded down) from each end as scipy.stats.trim_mean does.
    low, high = n // 4, n - n // 4
    inside = np.clip(np.cumsum(counts, axis=1), low, high)
    weights = np.diff(inside, axis=1, prepend=low)
    means: Sample = weights @ ordered / (high - low)
    return means


_STATISTICS: dict[Statistic, Callable[[Counts, Sample, int], Sample]] = {
    Statistic.MEAN: _mean,
    Statistic.MEDIAN: _median,
    Statistic.IQM: _interquartile_mean,
}
