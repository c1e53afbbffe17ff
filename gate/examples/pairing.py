"""Matching two sides' per-example scores by example key, with numpy.

Every key of both sides becomes an integer code once: its 64-bit string hash, made
dense by ``np.unique`` (sorting integers is several times faster than sorting the
strings), then checked against the keys themselves, so two different keys that share
a hash (next to impossible) are never paired: the strings are then sorted instead.
From there on everything is arithmetic on arrays of codes: scores summed per example
with ``np.bincount``, duplicates found by sorting one integer per (run, example,
repeat), input hashes compared as codes too. Orders shown to people follow the logs
(first appearance), never the hash, which changes from one process to the next.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from gate.model import ExampleScores
from gate.result import Unmatched

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
T = TypeVar("T")
SHOWN_IDS = 5  # ids listed for each kind of unpaired example
NO_HASH = np.iinfo(np.int64).max


@dataclass(frozen=True)
class Side:
    """One side's scores summed per example code (over all its runs and repeats)."""

    count: Ints  # scores seen per code (0: the side lacks the example)
    mean: Floats  # their mean (NaN where count is 0, or a score was not finite)
    duplicated: Mask  # a (key, repeat) seen twice in one run
    repeats: int  # the most scores of one example within one run
    runs: int
    first: Ints  # the index of each code's first entry (-1: none), for its excerpt
    hash_low: Ints  # smallest and largest input-hash code per example (NO_HASH: none)
    hash_high: Ints


@dataclass(frozen=True)
class Pairing:
    """Both sides of one metric matched by key; ``paired`` marks the codes that are tested."""

    entries: list[str]  # every key of every entry: the candidate's, then the baseline's
    first: Ints  # for each code, the index of its first entry in ``entries``
    candidate: Side
    baseline: Side
    only_candidate: Mask
    only_baseline: Mask
    duplicated: Mask
    hash_mismatch: Mask
    paired: Mask
    excerpts: tuple[str | None, ...]  # candidate entries, then baseline entries
    split: int  # the candidate's entries

    @property
    def total(self) -> int:
        return int(self.first.size)

    def keys(self, codes: Ints) -> list[str]:
        return pick(self.entries, self.first[codes])

    def in_log_order(self, codes: Ints) -> Ints:
        ordered: Ints = codes[np.argsort(self.first[codes], kind="stable")]
        return ordered

    @property
    def excluded(self) -> int:
        """Distinct keys left out of the test, for any reason (every key is on some side)."""
        return self.total - int(np.count_nonzero(self.paired))

    def unmatched(self, mask: Mask) -> Unmatched:
        codes = self.in_log_order(np.flatnonzero(mask))
        return Unmatched(int(codes.size), tuple(self.keys(codes[:SHOWN_IDS])))

    def excerpts_of(self, codes: Ints) -> list[str | None]:
        """The input text of paired examples, from the candidate's log, else the baseline's."""
        if not any(self.excerpts):
            return [None] * codes.size
        candidate = pick(self.excerpts, self.candidate.first[codes])
        baseline = pick(self.excerpts, self.split + self.baseline.first[codes])
        return [c or b or None for c, b in zip(candidate, baseline, strict=True)]


def pick(items: Sequence[T], indices: Ints) -> list[T]:
    """``[items[i] for i in indices]``, in C (``operator.itemgetter``)."""
    if indices.size == 0:
        return []
    if indices.size == 1:
        return [items[int(indices[0])]]
    return list(operator.itemgetter(*indices.tolist())(items))


def pair_examples(candidate: Sequence[ExampleScores], baseline: Sequence[ExampleScores]) -> Pairing:
    """Match the examples of a side's runs (``candidate``) with the other side's."""
    sides = (candidate, baseline)
    entries = list(chain.from_iterable(s.keys for side in sides for s in side))
    codes, first = key_codes(entries)
    split = sum(len(s) for s in candidate)
    hashes = _hash_codes(sides)
    cand = _side(candidate, codes[:split], hashes[:split], first.size)
    base = _side(baseline, codes[split:], hashes[split:], first.size)
    in_cand, in_base = cand.count > 0, base.count > 0
    both = in_cand & in_base
    duplicated = cand.duplicated | base.duplicated
    within = (cand.hash_low != cand.hash_high) & (cand.hash_high != NO_HASH)
    within |= (base.hash_low != base.hash_high) & (base.hash_high != NO_HASH)
    hashed = (cand.hash_low != NO_HASH) & (base.hash_low != NO_HASH)
    mismatch = both & (within | (hashed & (cand.hash_low != base.hash_low)))
    excerpts = tuple(
        chain.from_iterable(
            s.excerpts if s.excerpts is not None else (None,) * len(s)
            for side in sides
            for s in side
        )
    )
    return Pairing(
        entries=entries,
        first=first,
        candidate=cand,
        baseline=base,
        only_candidate=in_cand & ~in_base,
        only_baseline=in_base & ~in_cand,
        duplicated=duplicated & both,
        hash_mismatch=mismatch & ~duplicated,
        paired=both & ~duplicated & ~mismatch,
        excerpts=excerpts,
        split=split,
    )


def key_codes(keys: list[str], hasher: Callable[[str], int] = hash) -> tuple[Ints, Ints]:
    """Each key's code (0 to distinct keys - 1) and each code's first index in ``keys``."""
    hashes = np.fromiter(map(hasher, keys), dtype=np.int64, count=len(keys))
    _, first, codes = np.unique(hashes, return_index=True, return_inverse=True)
    if not all(map(operator.eq, keys, pick(keys, first[codes]))):
        # Two different keys share a hash: code the strings themselves (slower, exact).
        _, first, codes = np.unique(
            np.array(keys, dtype=str), return_index=True, return_inverse=True
        )
    return codes.astype(np.int64), first.astype(np.int64)


def _side(runs: Sequence[ExampleScores], codes: Ints, hashes: Ints, size: int) -> Side:
    lengths = [len(s) for s in runs]
    run_of = np.repeat(np.arange(len(runs), dtype=np.int64), lengths)
    repeats = np.fromiter(
        chain.from_iterable(s.repeats if s.repeats is not None else (0,) * len(s) for s in runs),
        dtype=np.int64,
        count=codes.size,
    )
    scores = np.fromiter(
        chain.from_iterable(s.scores for s in runs), dtype=np.float64, count=codes.size
    )
    count = np.bincount(codes, minlength=size).astype(np.int64)
    sums = np.bincount(codes, weights=scores, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, sums / np.maximum(count, 1), np.nan)
    # One integer per (run, example, repeat): equal neighbours after a sort are duplicates.
    # Repeats are coded densely first, so that no repeat number can overflow the product.
    repeat_codes = np.unique(repeats, return_inverse=True)[1].astype(np.int64)
    span = int(repeat_codes.max(initial=0)) + 1
    ordered = np.sort((run_of * size + codes) * span + repeat_codes)
    twice = ordered[1:][ordered[1:] == ordered[:-1]]
    duplicated = np.zeros(size, dtype=bool)
    duplicated[(twice // span) % size] = True
    # The most distinct repeats one example has in one run (a duplicate is not a repeat).
    distinct = np.unique(ordered) // span
    most = int(np.bincount(distinct).max(initial=0)) if distinct.size else 0
    first = np.full(size, -1, dtype=np.int64)
    present, index = np.unique(codes, return_index=True)
    first[present] = index
    low = np.full(size, NO_HASH, dtype=np.int64)
    high = np.full(size, NO_HASH, dtype=np.int64)
    known = hashes != NO_HASH
    if known.any():
        np.minimum.at(low, codes[known], hashes[known])
        high[np.unique(codes[known])] = -1
        np.maximum.at(high, codes[known], hashes[known])
    return Side(count, mean, duplicated, most, len(runs), first, low, high)


def _hash_codes(sides: tuple[Sequence[ExampleScores], ...]) -> Ints:
    """Each entry's input hash as an integer code (``NO_HASH`` where the log has none)."""
    total = sum(len(s) for side in sides for s in side)
    if all(s.hashes is None for side in sides for s in side):
        return np.full(total, NO_HASH, dtype=np.int64)
    values = np.array(
        list(
            chain.from_iterable(
                s.hashes if s.hashes is not None else ("",) * len(s) for side in sides for s in side
            )
        ),
        dtype=str,
    )
    codes = np.unique(values, return_inverse=True)[1]
    result = codes.astype(np.int64)
    result[values == ""] = NO_HASH
    return result
