"""Matching two sides' per-example scores by example key, with numpy.

Every key of both sides is sorted once (``np.unique``) into an integer code; from then
on everything is arithmetic on arrays of codes: scores summed per example with
``np.bincount``, duplicates found by sorting one integer per (run, example, repeat),
input hashes compared as codes too. No Python object per example is made here, so
100,000 examples a side pair in milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt

from gate.model import ExampleScores
from gate.result import Unmatched

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
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

    keys: npt.NDArray[np.str_]  # the sorted distinct keys; a key's code is its index
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
        return int(self.keys.size)

    @property
    def excluded(self) -> int:
        """Distinct keys left out of the test, for any reason (every key is on some side)."""
        return self.total - int(np.count_nonzero(self.paired))

    def unmatched(self, mask: Mask) -> Unmatched:
        codes = np.flatnonzero(mask)
        return Unmatched(int(codes.size), tuple(self.keys[codes[:SHOWN_IDS]].tolist()))

    def excerpt(self, code: int) -> str | None:
        """The input text of an example, from the candidate's log, else the baseline's."""
        first_candidate = int(self.candidate.first[code])
        if first_candidate >= 0 and self.excerpts[first_candidate]:
            return self.excerpts[first_candidate]
        first_baseline = int(self.baseline.first[code])
        if first_baseline >= 0:
            return self.excerpts[self.split + first_baseline]
        return None


def pair_examples(candidate: Sequence[ExampleScores], baseline: Sequence[ExampleScores]) -> Pairing:
    """Match the examples of a side's runs (``candidate``) with the other side's."""
    sides = (candidate, baseline)
    keys = np.array(list(chain.from_iterable(s.keys for side in sides for s in side)), dtype=str)
    unique, codes = np.unique(keys, return_inverse=True)
    split = sum(len(s) for s in candidate)
    hashes = _hash_codes(sides)
    cand = _side(candidate, codes[:split], hashes[:split], unique.size)
    base = _side(baseline, codes[split:], hashes[split:], unique.size)
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
        keys=unique,
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
    span = int(repeats.max(initial=0)) - int(repeats.min(initial=0)) + 1
    cell = (run_of * size + codes) * span + (repeats - repeats.min(initial=0))
    ordered = np.sort(cell)
    twice = ordered[1:][ordered[1:] == ordered[:-1]]
    duplicated = np.zeros(size, dtype=bool)
    duplicated[(twice // span) % size] = True
    most = max(
        (int(np.bincount(codes[run_of == r]).max(initial=0)) for r in range(len(runs))), default=0
    )
    first = np.full(size, -1, dtype=np.int64)
    # Fancy assignment keeps the last write: reversed, that is each code's first entry.
    first[codes[::-1]] = np.arange(codes.size, dtype=np.int64)[::-1]
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
