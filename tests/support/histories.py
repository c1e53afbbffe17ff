"""Main's recorded history built by hand, and results with pictures made by the real core.

``history(...)`` is a tuple of ``CommitRuns`` like a history store returns: a few runs
per commit, noise around a level that steps at the ``shifts`` given. The values are
drawn from a seeded generator, so every test sees the same history.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from gate.decide import decide
from gate.model import CommitRuns, Run, RunSet
from gate.picture import with_shifts
from gate.policy import MetricPolicy, Policy
from gate.result import GateResult
from support.policies import metric as metric_policy

HOSTILE_NAME = 'acc"<script>alert(1)</script>&'


def sha(index: int) -> str:
    return f"{index:08x}" + "c0ffee" * 5 + "ab"


def history(
    commits: int,
    levels: Mapping[str, float],
    *,
    runs: int = 3,
    shifts: Mapping[str, tuple[int, float]] | None = None,
    noise: float = 0.004,
    seed: int = 7,
) -> tuple[CommitRuns, ...]:
    """``commits`` records, oldest first; metric ``m`` moves by ``shifts[m][1]`` from commit
    ``shifts[m][0]`` on."""
    rng = random.Random(seed)
    steps = shifts or {}
    records = []
    for index in range(commits):
        level = {
            name: value + (steps[name][1] if name in steps and index >= steps[name][0] else 0.0)
            for name, value in levels.items()
        }
        records.append(
            CommitRuns(
                commit=sha(index),
                branch="main",
                recorded_at=1_700_000_000.0 + 3600 * index,
                runs=tuple(
                    Run(
                        id=f"c{index}r{r}",
                        metrics={k: v + rng.gauss(0, noise) for k, v in level.items()},
                    )
                    for r in range(runs)
                ),
            )
        )
    return tuple(records)


def runs(values: Mapping[str, Sequence[float]], prefix: str) -> tuple[Run, ...]:
    count = len(next(iter(values.values())))
    return tuple(
        Run(id=f"{prefix}{i}", metrics={k: v[i] for k, v in values.items()}) for i in range(count)
    )


def pictured_result(*, with_history: bool = True, name: str = "accuracy") -> GateResult:
    """A gate of two metrics through the real core: ``name`` regressed (with a floor), loss
    passing; with main's history of 60 commits where ``name`` shifted at commit 40."""
    specs: tuple[MetricPolicy, ...] = (
        metric_policy(name, tolerance=0.01, at_least=0.85),
        metric_policy("loss", "lower", tolerance="5%"),
    )
    recorded = history(60, {name: 0.90, "loss": 0.31}, shifts={name: (40, 0.012)})
    baseline = RunSet(
        runs=recorded[-1].runs,
        description="main",
        history=recorded if with_history else (),
    )
    candidate = RunSet(
        runs=runs(
            {name: [0.861, 0.872, 0.866, 0.869, 0.875], "loss": [0.309, 0.312, 0.31, 0.308, 0.311]},
            "pr",
        ),
        description="pull request",
    )
    result = decide(Policy(metrics=specs), candidate, baseline)
    return with_shifts(result, {name: [sha(40)]}) if with_history else result
