"""Gathering a metric's picture data: the values the test compared, and main's trend."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace

from gate.model import CommitRuns
from gate.policy import MetricPolicy
from gate.result import GateResult, MetricPicture, TrendPoint
from gate.samples import Samples, run_value


def metric_picture(
    spec: MetricPolicy, sides: Samples, history: Sequence[CommitRuns]
) -> MetricPicture:
    """The picture data of one metric. Per-example scores are not kept as points: a
    thousand 0/1 scores say less in a picture than their mean and its interval."""
    per_example = sides.unit == "examples"
    return MetricPicture(
        candidate=() if per_example else _finite(sides.candidate),
        baseline=() if per_example else _finite(sides.baseline),
        trend=metric_trend(spec, history),
    )


def metric_trend(spec: MetricPolicy, history: Sequence[CommitRuns]) -> tuple[TrendPoint, ...]:
    """Per recorded commit, oldest first, the mean of its runs' finite values of the metric.

    A commit recorded twice counts once, with the runs of both records, at the place of
    its first record; a commit where no run reports a finite value is left out.
    """
    pooled: dict[str, list[float]] = {}
    name, isfinite = spec.name, math.isfinite
    for record in history:
        values = pooled.setdefault(record.commit, [])
        for run in record.runs:
            # The scalar case inline: 200 metrics of 1,000 commits make 600,000 of these.
            value = run_value(run, spec) if run.series else run.metrics.get(name)
            if value is not None and isfinite(value):
                values.append(value)
    return tuple(
        TrendPoint(commit=commit, mean=math.fsum(values) / len(values), runs=len(values))
        for commit, values in pooled.items()
        if values
    )


def with_shifts(result: GateResult, shifts: Mapping[str, Sequence[str]]) -> GateResult:
    """``result`` with each metric's shifts (commit SHAs of main's history, by metric name)
    put into its picture, for change-point detection that runs after the core."""
    metrics = tuple(
        replace(
            metric,
            picture=replace(metric.picture, shifts=tuple(shifts.get(metric.name, ()))),
        )
        for metric in result.metrics
    )
    return replace(result, metrics=metrics)


def _finite(values: Sequence[float]) -> tuple[float, ...]:
    return tuple(value for value in values if math.isfinite(value))
