"""Many metrics' bootstrap moments in one matrix product.

A gate of 200 metrics with the same runs resamples each side with the same count
rows (``gate.stats.kernel``); multiplying them by one metric at a time makes 400
small products, and a small product costs mostly the matrix library's set-up (and,
on a busy 2-core machine, its threads waiting for each other). ``measure_batched``
first measures the metrics that bootstrap a mean with stand-in moments, only to
learn which samples the kernel will be asked for; then multiplies the count rows by
all of them at once; then measures every metric for real, the kernel answering from
that product. Column j of a product is computed as a product with column j alone
would be: the verdicts are the same (tested), only the set-up is paid once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from gate.errors import RungateError
from gate.policy import MetricPolicy
from gate.stats import Sample
from gate.vocabulary import Statistic, TestName

T = TypeVar("T")
Key = tuple[int, int, int, int]  # (values, resamples, seed, stream): one set of count rows
PRODUCT_CELLS = 4_000_000  # result cells of one product (32 MB); more columns, more products


@dataclass
class _Batch:
    collecting: bool = True
    wanted: dict[Key, dict[bytes, Sample]] = field(default_factory=dict)
    ready: dict[tuple[Key, bytes], tuple[Sample, Sample]] = field(default_factory=dict)
    remembered: dict[Hashable, object] = field(default_factory=dict)


_STAND_IN = (np.zeros(1), np.ones(1))
_BATCH: ContextVar[_Batch | None] = ContextVar("rungate_resampling_batch", default=None)


def resamples_means(spec: MetricPolicy) -> bool:
    return spec.test in (TestName.BOOTSTRAP, TestName.PAIRED_BOOTSTRAP) and (
        spec.statistic is Statistic.MEAN
    )


def measure_batched(measure: Callable[[MetricPolicy], T], specs: Sequence[MetricPolicy]) -> list[T]:
    """``[measure(spec) for spec in specs]``, with the bootstrap's products shared."""
    resampling = [spec for spec in specs if resamples_means(spec)]
    if len(resampling) < 2:
        return [measure(spec) for spec in specs]
    batch = _Batch()
    token = _BATCH.set(batch)
    try:
        for spec in resampling:
            # An input error surfaces in the real pass below, in the policy's order.
            with contextlib.suppress(RungateError):
                measure(spec)
        batch.collecting = False
        _multiply(batch)
        return [measure(spec) for spec in specs]
    finally:
        _BATCH.reset(token)


REMEMBERED_VALUES = 1_000  # inputs up to this size only: a batch keeps them to its end


def remembered(key: Hashable, size: int, compute: Callable[[], T]) -> T:
    """``compute()``; within ``measure_batched``, computed once for both passes.

    Each metric is measured twice there, and what does not depend on the kernel's answers
    (a side's summary) comes out the same both times: the second pass looks it up."""
    batch = _BATCH.get()
    if batch is None or size > REMEMBERED_VALUES:
        return compute()
    if key in batch.remembered:
        return batch.remembered[key]  # type: ignore[return-value]  # stored by this key's compute
    value = batch.remembered[key] = compute()
    return value


def collecting() -> bool:
    """Whether this is the pass that only learns which samples the kernel will be asked
    for: whatever a test computes after asking is then thrown away, so it may stop there."""
    batch = _BATCH.get()
    return batch is not None and batch.collecting


def batched_moments(
    sample: Sample, resamples: int, seed: int, stream: int
) -> tuple[Sample, Sample] | None:
    """The kernel's answer from the shared product, a stand-in while collecting, or None."""
    batch = _BATCH.get()
    if batch is None:
        return None
    from gate.stats.kernel import batchable

    key = (sample.size, resamples, seed, stream)
    if batch.collecting:
        if batchable(sample, resamples):
            batch.wanted.setdefault(key, {})[sample.tobytes()] = sample.copy()
        # Only what is asked matters here: one stand-in resample keeps the rest of this
        # pass (the bootstrap-t's order statistics of 10,000 resamples) nearly free.
        return _STAND_IN
    return batch.ready.get((key, sample.tobytes()))


def _multiply(batch: _Batch) -> None:
    from gate.stats.kernel import float_count_rows, raw_moments

    for key, samples in batch.wanted.items():
        n, resamples, seed, stream = key
        counts = float_count_rows(n, resamples, seed, stream)
        names = list(samples)
        per_product = max(1, PRODUCT_CELLS // (2 * resamples))
        for start in range(0, len(names), per_product):
            chunk = names[start : start + per_product]
            columns = [raw_moments(samples[name], n) for name in chunk]
            moments = np.hstack([c[:, :1] for c in columns] + [c[:, 1:] for c in columns])
            # Transposed, the product has a contiguous row per sample (means, then squares).
            product = moments.T @ counts.T
            means, squares = product[: len(chunk)], product[len(chunk) :]
            variances = _variances_in_place(means, squares, n)
            for j, name in enumerate(chunk):
                batch.ready[(key, name)] = (means[j], variances[j])


def _variances_in_place(means: Sample, squares: Sample, n: int, rows: int = 8) -> Sample:
    """``kernel.variances_from``, written over ``squares`` a few rows at a time: the same
    operations in the same order (the same bits), without two more arrays the size of the
    product, whose fresh pages cost more than the arithmetic."""
    from gate.stats.kernel import variances_from

    for start in range(0, len(means), rows):
        block = slice(start, start + rows)
        squares[block] = variances_from(means[block], squares[block], n)
    return squares
