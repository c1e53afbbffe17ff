"""Main's recorded history for the core's tests: ``CommitRuns`` built from numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gate.model import CommitRuns, Run

BRANCH = "main"


def sha(index: int) -> str:
    """A 40-digit commit SHA that says which commit it is, in its short form too
    (``000001e`` + ``c`` * 33 for commit 30)."""
    return f"{index:07x}" + "c" * 33


def recorded(
    per_commit: Sequence[Sequence[float] | Mapping[str, Sequence[float]]],
    metric: str = "accuracy",
) -> tuple[CommitRuns, ...]:
    """One record a commit, oldest first: each a list of its runs' values of ``metric``,
    or a mapping of metric names to such lists."""
    records = []
    for index, values in enumerate(per_commit):
        by_metric = values if isinstance(values, Mapping) else {metric: values}
        count = max((len(runs) for runs in by_metric.values()), default=0)
        runs = tuple(
            Run(
                id=f"{index}-{run}",
                metrics={name: vals[run] for name, vals in by_metric.items() if run < len(vals)},
            )
            for run in range(count)
        )
        records.append(
            CommitRuns(commit=sha(index), branch=BRANCH, recorded_at=1e9 + index, runs=runs)
        )
    return tuple(records)
