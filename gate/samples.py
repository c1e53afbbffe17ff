"""From runs to the two samples a test compares: a value per run, paired where asked.

A run's value for a metric is its scalar, or drawn from its series: the
``aggregate`` of a step history, or the mean of per-example scores. With
``pair_by`` a field, runs are matched across the sides by that field; with
``pair_by: example`` a single run a side is compared example by example.
Everything here is pure: runs and a metric's policy in, samples out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gate.errors import RunSetError
from gate.model import Run
from gate.policy import MetricPolicy
from gate.result import ExampleEvidence, SideSummary
from gate.stats.resampling.batch import remembered
from gate.stats.sides import data_scale
from gate.vocabulary import PAIR_BY_EXAMPLE, Aggregate, TestName

SHOWN_KEYS = 8


@dataclass(frozen=True)
class Samples:
    """What one metric's test compares; ``paired``: ``candidate[i]`` goes with ``baseline[i]``."""

    candidate: tuple[float, ...]
    baseline: tuple[float, ...]
    paired: bool = False
    unit: str = "runs"  # what one value is: a run, or an example
    notes: tuple[str, ...] = ()
    examples: ExampleEvidence | None = None  # paired by example key (gate.examples)
    test: TestName | None = None  # the test these samples need, when not the policy's


def run_value(run: Run, spec: MetricPolicy) -> float | None:
    """The run's single value for the metric, or None when it does not report it."""
    if spec.name in run.series:
        series = np.asarray(run.series[spec.name], dtype=float)
        if spec.pair_by == PAIR_BY_EXAMPLE:
            return float(series.mean())
        return aggregate(series, spec.aggregate)
    if spec.name not in run.metrics and spec.name in run.examples:
        return float(np.mean(run.examples[spec.name].scores))  # unpaired: the run's mean
    return run.metrics.get(spec.name)


def aggregate(history: npt.NDArray[np.float64], how: Aggregate) -> float:
    """One value from a step history. NaN propagates: a run that diverged stays diverged."""
    if how.how == "last":
        return float(history[-1])
    if how.how == "min":
        return float(np.min(history))
    if how.how == "max":
        return float(np.max(history))
    if how.how == "mean":
        return float(np.mean(history))
    assert how.last is not None  # mean_last always names its count
    return float(np.mean(history[-how.last :]))


def samples(spec: MetricPolicy, candidate: Sequence[Run], baseline: Sequence[Run]) -> Samples:
    """The samples to test, or an error when the pairing does not fit the runs."""
    if spec.pair_by == PAIR_BY_EXAMPLE:
        return _per_example(spec, candidate, baseline)
    cand = _values(spec, candidate)
    base = _values(spec, baseline)
    if spec.pair_by is None:
        return Samples(tuple(cand.values()), tuple(base.values()))
    return _paired_by_field(spec, spec.pair_by, candidate, baseline)


def _values(spec: MetricPolicy, runs: Sequence[Run]) -> dict[str, float]:
    values = {}
    name = spec.name
    for run in runs:
        # run_value, with its common case (a plain number) inline: 100,000 runs a metric
        plain = name in run.metrics and name not in run.series
        value = run.metrics[name] if plain else run_value(run, spec)
        if value is not None:
            values[run.id] = value
    return values


def _paired_by_field(
    spec: MetricPolicy, field: str, candidate: Sequence[Run], baseline: Sequence[Run]
) -> Samples:
    cand = _keyed(spec, field, candidate, "candidate")
    base = _keyed(spec, field, baseline, "baseline")
    if min(len(cand), len(base)) == 1:
        # One run on a side pairs with nothing else: the core compares it with the other
        # side's spread (a prediction test) or, one run a side, against the tolerance.
        return Samples(tuple(cand.values()), tuple(base.values()))
    only_cand, only_base = sorted(cand.keys() - base.keys()), sorted(base.keys() - cand.keys())
    if only_cand or only_base:
        raise RunSetError(
            f"metric {spec.name!r} is paired by {field}, but the sides do not match: "
            f"only in the candidate: {_keys(only_cand)}; only in the baseline: {_keys(only_base)}"
        )
    keys = sorted(cand, key=_natural)
    return Samples(
        tuple(cand[key] for key in keys),
        tuple(base[key] for key in keys),
        paired=True,
        unit="pairs",
    )


def _keyed(spec: MetricPolicy, field: str, runs: Sequence[Run], side: str) -> dict[str, float]:
    keyed: dict[str, tuple[Run, float]] = {}
    for run in runs:
        value = run_value(run, spec)
        if value is None:
            continue
        key = run.field_value(field)
        if key is None:
            raise RunSetError(
                f"metric {spec.name!r} is paired by {field}, but {side} run {run.id!r} has no "
                f"{field}",
                source=run.origin or None,
            )
        if key in keyed:
            raise RunSetError(
                f"metric {spec.name!r} is paired by {field}, but {side} runs "
                f"{keyed[key][0].id!r} and {run.id!r} share {field} = {key!r}",
                source=run.origin or None,
            )
        keyed[key] = (run, value)
    return {key: value for key, (_, value) in keyed.items()}


def _per_example(spec: MetricPolicy, candidate: Sequence[Run], baseline: Sequence[Run]) -> Samples:
    cand = [run for run in candidate if spec.name in run.series]
    base = [run for run in baseline if spec.name in run.series]
    if len(cand) == 1 and len(base) == 1:
        cand_scores, base_scores = cand[0].series[spec.name], base[0].series[spec.name]
        if len(cand_scores) != len(base_scores):
            raise RunSetError(
                f"metric {spec.name!r} is paired by example, but candidate run {cand[0].id!r} "
                f"has {len(cand_scores)} scores and baseline run {base[0].id!r} has "
                f"{len(base_scores)}"
            )
        if spec.test is TestName.MCNEMAR:
            _check_outcomes(spec, cand_scores, base_scores)
        return Samples(cand_scores, base_scores, paired=True, unit="examples")
    # Several runs a side: examples within a run are not independent of each other, so
    # each run counts once, by its mean over the examples.
    values = Samples(
        tuple(v for v in _values(spec, candidate).values()),
        tuple(v for v in _values(spec, baseline).values()),
    )
    if not cand or not base:
        return values
    note = (
        "several runs a side: each run's per-example scores are averaged and the runs "
        "compared with Welch's t-test"
    )
    return Samples(values.candidate, values.baseline, notes=(note,))


def _check_outcomes(spec: MetricPolicy, *sides: Sequence[float]) -> None:
    """McNemar counts 0/1 outcomes; a diverged (non-finite) score is dropped later anyway."""
    for scores in sides:
        if any(math.isfinite(score) and score not in (0.0, 1.0) for score in scores):
            raise RunSetError(
                f"metric {spec.name!r} uses `test: mcnemar`, which needs per-example scores "
                "that are all 0 or 1"
            )


def _keys(keys: list[str]) -> str:
    if not keys:
        return "none"
    shown = ", ".join(repr(key) for key in keys[:SHOWN_KEYS])
    return shown + (f" and {len(keys) - SHOWN_KEYS} more" if len(keys) > SHOWN_KEYS else "")


def _natural(key: str) -> tuple[float, str]:
    """Seeds sort as numbers (2 before 10) when they are numbers."""
    try:
        number = float(key)
    except ValueError:
        return (math.inf, key)
    return (number, key)


def finite_sides(
    cand: Sequence[float], base: Sequence[float], *, paired: bool
) -> tuple[list[float], list[float]]:
    """The values a test compares: the finite ones; paired, the pairs finite on both sides."""
    cand_values, base_values = np.asarray(cand, dtype=float), np.asarray(base, dtype=float)
    if paired:  # a pair with a diverged partner cannot be compared
        assert cand_values.shape == base_values.shape  # paired samples come aligned
        kept = np.isfinite(cand_values) & np.isfinite(base_values)
        return cand_values[kept].tolist(), base_values[kept].tolist()
    return (
        cand_values[np.isfinite(cand_values)].tolist(),
        base_values[np.isfinite(base_values)].tolist(),
    )


def side_summary(values: Sequence[float]) -> SideSummary:
    """Count, mean and standard deviation of the finite values, and how many are not."""
    if isinstance(values, tuple):  # the same values measured twice in a batch: once
        return remembered(("side_summary", values), len(values), lambda: _summary(values))
    return _summary(values)


def _summary(values: Sequence[float]) -> SideSummary:
    every = np.asarray(values, dtype=float)
    finite = np.isfinite(every)
    array = every if finite.all() else every[finite]
    if not array.size:
        return SideSummary(n=0, mean=None, sd=None, non_finite=len(values))
    scale = data_scale(array)  # so that squares of huge values cannot overflow
    scaled = array / scale
    sd = float(scaled.std(ddof=1)) * scale if array.size >= 2 else None
    return SideSummary(
        n=array.size,
        mean=float(scaled.mean()) * scale,
        sd=sd,
        non_finite=len(values) - array.size,
    )


def mean_change(cand: SideSummary, base: SideSummary) -> tuple[float | None, float | None]:
    """Candidate minus baseline mean, absolute and in percent of the baseline mean."""
    if cand.mean is None or base.mean is None:
        return None, None
    delta = cand.mean - base.mean
    return delta, (delta / abs(base.mean) * 100 if base.mean != 0 else None)
