"""The samples of a metric paired by example key, for the core (``gate.decide``).

The two sides' examples are matched by key; each example's scores are averaged over
its repeats and runs first, so the test compares one paired difference per example,
never repeats as if they were examples of their own. What could not be paired is left
out and said; when more than ``max_unmatched`` could not be, the two sides did not
evaluate the same thing and the gate stops (exit 2) rather than judge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from gate.errors import RunSetError
from gate.examples.changes import evidence
from gate.examples.pairing import Ints, Pairing, pair_examples
from gate.model import ExampleScores, Run
from gate.policy import MetricPolicy
from gate.result import ExampleEvidence, Unmatched
from gate.samples import Samples, samples
from gate.stats.resampling.batch import remembered
from gate.vocabulary import PAIR_BY_EXAMPLE, TestName

SHOWN_ID_CHARS = 40


def metric_samples(
    spec: MetricPolicy, candidate: Sequence[Run], baseline: Sequence[Run]
) -> Samples:
    """What one metric's test compares: paired by example key where the runs allow it."""
    # A batch measures each metric twice (gate.stats.resampling.batch) with the same spec and
    # the same run sequences, alive to its end: the samples are drawn once.
    key = ("metric_samples", spec, id(candidate), id(baseline))
    size = len(candidate) + len(baseline)
    return remembered(key, size, lambda: _metric_samples(spec, candidate, baseline))


def _metric_samples(
    spec: MetricPolicy, candidate: Sequence[Run], baseline: Sequence[Run]
) -> Samples:
    keyed = keyed_samples(spec, candidate, baseline)
    if keyed is not None:
        return keyed
    plain = samples(spec, candidate, baseline)
    named = [any(spec.name in run.examples for run in side) for side in (candidate, baseline)]
    if spec.pair_by == PAIR_BY_EXAMPLE and any(named) and not all(named):
        which, other = ("candidate", "baseline") if named[0] else ("baseline", "candidate")
        note = (
            f"only the {which}'s runs name their examples, the {other}'s do not: the sides "
            "cannot be paired by example key"
        )
        return replace(plain, notes=(*plain.notes, note))
    return plain


def keyed_samples(
    spec: MetricPolicy, candidate: Sequence[Run], baseline: Sequence[Run]
) -> Samples | None:
    """The per-example samples of ``spec``, paired by key; None when the runs of a side
    carry no keyed scores for it (the positional and per-run forms apply then)."""
    if spec.pair_by != PAIR_BY_EXAMPLE:
        return None
    cand = [run.examples[spec.name] for run in candidate if spec.name in run.examples]
    base = [run.examples[spec.name] for run in baseline if spec.name in run.examples]
    if not cand or not base:
        return None
    pairing = pair_examples(cand, base)
    found = evidence(pairing, higher_is_better=spec.higher_is_better, shown=spec.show_examples)
    _check_unmatched(spec, found)
    codes = np.flatnonzero(pairing.paired)
    notes = [*_unmatched_notes(found), *_repeat_notes(found)]
    if max(len(cand), len(base)) > 1:
        return _by_run(pairing.keys(codes), cand, base, notes, found)
    test = None
    if spec.test is TestName.MCNEMAR and not found.binary:
        test = _instead_of_mcnemar(spec, pairing, codes, notes)
    return Samples(
        tuple(pairing.candidate.mean[codes].tolist()),
        tuple(pairing.baseline.mean[codes].tolist()),
        paired=True,
        unit="examples",
        notes=tuple(notes),
        examples=found,
        test=test,
    )


def _by_run(
    paired: list[str],
    cand: Sequence[ExampleScores],
    base: Sequence[ExampleScores],
    notes: list[str],
    found: ExampleEvidence,
) -> Samples:
    """Several runs (seeds) a side: one value a run, its mean over the paired examples.

    A run's seed moves all of its examples together. Averaged per example, that shared
    shift would look like a consistent change of every example, and a paired test over
    the examples would take it for evidence (measured: a quarter of unchanged pull
    requests flagged with 3 runs a side). The runs' means carry it as it is: with the
    same examples in every run, the examples' own difficulty cancels in the comparison.
    """
    keep = np.array(paired, dtype=object)

    def run_mean(scores: ExampleScores) -> float:
        values = np.asarray(scores.scores, dtype=float)
        chosen = values[np.isin(np.array(scores.keys, dtype=object), keep)]
        return float(chosen.mean()) if chosen.size else math.nan

    notes.append(
        f"{len(cand)} candidate and {len(base)} baseline runs: each run counts once, by its "
        f"mean over the {len(paired)} paired examples, because a run's seed shifts all of its "
        "examples together; the counts of examples that changed describe the change"
    )
    return Samples(
        tuple(run_mean(scores) for scores in cand),
        tuple(run_mean(scores) for scores in base),
        unit="runs",
        notes=tuple(notes),
        examples=found,
    )


def _check_unmatched(spec: MetricPolicy, found: ExampleEvidence) -> None:
    if not spec.max_unmatched.exceeded(found.excluded, found.total):
        return
    share = found.excluded / found.total * 100 if found.total else 0.0
    raise RunSetError(
        f"metric {spec.name!r} is paired by example, but the sides did not evaluate the same "
        f"examples: {found.excluded} of {found.total} ({share:.3g}%) could not be paired "
        f"({_kinds(found)}), more than max_unmatched: {spec.max_unmatched.spec}"
    )


def _kinds(found: ExampleEvidence) -> str:
    kinds = (
        ("only in the candidate", found.only_candidate),
        ("only in the baseline", found.only_baseline),
        ("duplicated within a run", found.duplicated),
        ("with a different input", found.hash_mismatch),
    )
    return "; ".join(
        f"{unmatched.count} {what}{_ids(unmatched)}" for what, unmatched in kinds if unmatched.count
    )


def _ids(unmatched: Unmatched) -> str:
    if not unmatched.first:
        return ""
    shown = ", ".join(repr(key[:SHOWN_ID_CHARS]) for key in unmatched.first)
    more = ", ..." if unmatched.count > len(unmatched.first) else ""
    return f", e.g. {shown}{more}"


def _unmatched_notes(found: ExampleEvidence) -> list[str]:
    if not found.excluded:
        return []
    return [
        f"{found.excluded} of {found.total} examples could not be paired and are left out of "
        f"the test: {_kinds(found)}"
    ]


def _repeat_notes(found: ExampleEvidence) -> list[str]:
    sides = (
        ("candidate", found.candidate_repeats),
        ("baseline", found.baseline_repeats),
    )
    parts = [f"up to {repeats} in the {side}" for side, repeats in sides if repeats > 1]
    if not parts:
        return []
    return [
        f"each example's scores are averaged over its repeats ({', '.join(parts)}) before "
        "the test: repeats of one example are not independent examples"
    ]


def _instead_of_mcnemar(
    spec: MetricPolicy, pairing: Pairing, codes: Ints, notes: list[str]
) -> TestName:
    """McNemar counts one 0/1 outcome an example; averaged repeats are shares instead."""
    scores = np.concatenate((pairing.candidate.mean[codes], pairing.baseline.mean[codes]))
    finite = scores[np.isfinite(scores)]
    single = (pairing.candidate.count[codes] <= 1).all() and (
        pairing.baseline.count[codes] <= 1
    ).all()
    if single and not np.isin(finite, (0.0, 1.0)).all():
        raise RunSetError(
            f"metric {spec.name!r} uses `test: mcnemar`, which needs per-example scores "
            "that are all 0 or 1"
        )
    notes.append(
        "`mcnemar` counts one 0/1 outcome an example; with repeats each example's outcomes "
        "are averaged into a share, so the paired t-test compares them instead"
    )
    return TestName.PAIRED_T
