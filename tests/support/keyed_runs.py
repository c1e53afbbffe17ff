"""Run sets with per-example scores keyed by example id, built directly (no source), for
the tests of pairing by example key (``gate.examples``) and of what the reports show.

``flipped(2000, worse=60, better=0)`` is a baseline and a candidate of 0/1 scores over
the same 2,000 examples where exactly ``worse`` examples flip from right to wrong and
``better`` from wrong to right; ``keyed_run`` and ``side`` wrap scores into runs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gate.decide import decide
from gate.model import ExampleScores, Run, RunSet
from gate.policy import Policy
from gate.result import GateResult
from support.policies import metric

METRIC = "mmlu/acc"


def keyed_run(
    run_id: str,
    keys: Sequence[str],
    scores: Sequence[float],
    *,
    metric: str = METRIC,
    repeats: Sequence[int] | None = None,
    hashes: Sequence[str] | None = None,
    excerpts: Sequence[str] | None = None,
) -> Run:
    return Run(
        id=run_id,
        metrics={},
        examples={
            metric: ExampleScores(
                keys=tuple(keys),
                scores=tuple(float(score) for score in scores),
                repeats=None if repeats is None else tuple(repeats),
                hashes=None if hashes is None else tuple(hashes),
                excerpts=None if excerpts is None else tuple(excerpts),
            )
        },
    )


def side(*runs: Run, description: str = "logs") -> RunSet:
    return RunSet(runs=runs, description=description)


def example_ids(count: int) -> list[str]:
    return [f"q{index}" for index in range(count)]


def flipped(
    count: int, *, worse: int, better: int, seed: int = 0, accuracy: float = 0.7
) -> tuple[list[float], list[float]]:
    """Baseline and candidate 0/1 scores with exactly ``worse`` and ``better`` flips."""
    rng = np.random.default_rng(seed)
    base = (rng.random(count) < accuracy).astype(float)
    cand = base.copy()
    right, wrong = np.flatnonzero(base == 1), np.flatnonzero(base == 0)
    cand[rng.choice(right, worse, replace=False)] = 0.0
    cand[rng.choice(wrong, better, replace=False)] = 1.0
    return base.tolist(), cand.tolist()


def examples_result(*, hostile: str = "", worse: int = 6) -> GateResult:
    """A gate over one metric paired by example key: 6 flips to wrong and 2 to right of 200,
    one example only in the baseline, excerpts on every example; ``hostile`` is put into
    the key and the excerpt of a changed example."""
    base, cand = flipped(200, worse=worse, better=2)
    keys = example_ids(200)
    excerpts = [f"What is {i} + {i}?" for i in range(200)]
    changed = next(i for i in range(1, 200) if base[i] != cand[i])
    keys[changed], excerpts[changed] = hostile or keys[changed], hostile or excerpts[changed]
    spec = metric(METRIC, pair_by="example", test="mcnemar", show_examples=3)
    return decide(
        Policy(metrics=(spec,)),
        side(keyed_run("pr", keys[1:], cand[1:], excerpts=excerpts[1:]), description="pr"),
        side(keyed_run("main", keys, base, excerpts=excerpts), description="main"),
    )
