"""What changed, example by example: counts of examples that got worse and better, and
every changed example ordered from the worst change to the best."""

from __future__ import annotations

import numpy as np

from gate.examples.pairing import Floats, Pairing
from gate.result import ExampleEvidence

EXCERPT_CHARS = 200  # of an example's input kept for the reports (each cuts it further)


def evidence(pairing: Pairing, *, higher_is_better: bool, shown: int) -> ExampleEvidence:
    """The evidence of one metric paired by example key. Changes are oriented by the
    metric's direction: "worse" is lower for a higher-is-better metric."""
    codes = np.flatnonzero(pairing.paired)
    cand, base = pairing.candidate.mean[codes], pairing.baseline.mean[codes]
    finite = np.isfinite(cand) & np.isfinite(base)
    codes, cand, base = codes[finite], cand[finite], base[finite]
    change: Floats = (cand - base) if higher_is_better else (base - cand)
    changed = np.flatnonzero(change != 0)
    # Worst change first; ties in the order of the logs, the same in every run.
    order = changed[np.lexsort((pairing.first[codes[changed]], change[changed]))]
    once = (pairing.candidate.count[codes] == 1) & (pairing.baseline.count[codes] == 1)
    binary = bool(
        codes.size
        and once.all()
        and np.isin(cand, (0.0, 1.0)).all()
        and np.isin(base, (0.0, 1.0)).all()
    )
    return ExampleEvidence(
        examples=int(codes.size),
        worse=int(np.count_nonzero(change < 0)),
        better=int(np.count_nonzero(change > 0)),
        binary=binary,
        candidate_runs=pairing.candidate.runs,
        baseline_runs=pairing.baseline.runs,
        candidate_repeats=pairing.candidate.repeats,
        baseline_repeats=pairing.baseline.repeats,
        total=pairing.total,
        only_candidate=pairing.unmatched(pairing.only_candidate),
        only_baseline=pairing.unmatched(pairing.only_baseline),
        duplicated=pairing.unmatched(pairing.duplicated),
        hash_mismatch=pairing.unmatched(pairing.hash_mismatch),
        excluded=pairing.excluded,
        changed_keys=tuple(pairing.keys(codes[order])),
        changed_baseline=tuple(base[order].tolist()),
        changed_candidate=tuple(cand[order].tolist()),
        changed_excerpts=tuple(map(_cut, pairing.excerpts_of(codes[order]))),
        shown=shown,
    )


def _cut(text: str | None) -> str | None:
    if not text:
        return None
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"
