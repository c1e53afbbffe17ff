"""A many-metric bootstrap gate's verdicts, p-values, bounds and power figures, pinned.

The figures were written to ``pinned_gate.json`` by the code before the bootstrap
gate's speed work (issue 12): quantiles without scipy, one measuring pass, bounds
across metrics. Every change of that work must leave them as they were: the same
verdicts, the same p-values and bounds to the last bit, the same runs needed. The
detectable drop is a sum of two quantiles times a standard error; its quantiles now
come from another (equally exact) algorithm, so it is held to 1e-13 relative, far
below the 4 significant digits any report shows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from support.policies import metric

from gate.decide import decide
from gate.model import Run, RunSet
from gate.policy import Policy
from gate.vocabulary import Correction

PINNED = Path(__file__).with_name("pinned_gate.json")
FIELDS = (
    "verdict",
    "delta",
    "ci_low",
    "ci_high",
    "p_value",
    "p_improvement",
    "p_noninferior",
    "p_adjusted",
    "p_improvement_adjusted",
    "p_noninferior_adjusted",
    "detectable_drop",
    "runs_needed",
)
KINDS: list[dict[str, Any]] = [
    {"test": "bootstrap", "tolerance": 0.01},
    {"test": "bootstrap", "tolerance": "1%"},
    {"test": "paired_bootstrap", "pair_by": "params.seed", "tolerance": 0.005},
    {"test": "bootstrap", "statistic": "median", "tolerance": 0.01},
    {"test": "bootstrap", "direction": "lower", "tolerance": 0.0},
    {"test": "bootstrap", "tolerance": 0.002, "mode": "noninferiority"},
]
METRICS, RUNS = 24, 24  # 20 runs a side at least, or the bootstrap hands over to Welch


def _sides() -> tuple[RunSet, RunSet]:
    rng = np.random.default_rng(5)
    shared = rng.normal(0.8, 0.05, (RUNS, METRICS))
    drops = np.linspace(-0.01, 0.03, METRICS)  # from better to clearly worse
    sets = []
    for side, drop in (("c", drops), ("b", np.zeros(METRICS))):
        values = shared + rng.normal(0, 0.01, (RUNS, METRICS)) - drop
        runs = tuple(
            Run(
                id=f"{side}{i}",
                metrics={f"m{k}": float(values[i, k]) for k in range(METRICS)},
                params={"seed": str(i)},
            )
            for i in range(RUNS)
        )
        sets.append(RunSet(runs=runs, description=side))
    return sets[0], sets[1]


def pin() -> None:
    """How the file was written, once: ``python -c "import test_pinned_gate as t; t.pin()"``."""
    pinned = {c.value: _rows(c) for c in (Correction.HOLM, Correction.NONE)}
    PINNED.write_text(json.dumps(pinned, indent=1) + "\n")


def _rows(correction: Correction) -> list[list[Any]]:
    policy = Policy(
        metrics=tuple(metric(f"m{k}", **KINDS[k % len(KINDS)]) for k in range(METRICS)),
        correction=correction,
    )
    result = decide(policy, *_sides())
    return [[m.verdict.name, *(getattr(m, name) for name in FIELDS[1:])] for m in result.metrics]


@pytest.mark.parametrize("correction", [Correction.HOLM, Correction.NONE])
def test_the_gate_gives_the_pinned_figures(correction: Correction) -> None:
    expected = json.loads(PINNED.read_text())[correction.value]
    actual = _rows(correction)
    assert len({row[0] for row in expected}) == 4  # pass, inconclusive, regression, improvement
    assert sum(row[-1] is not None for row in expected) > 10  # runs needed, many of them
    for got, want in zip(actual, expected, strict=True):
        assert got[:-2] == want[:-2]  # verdict, estimate, bounds, p-values: bit for bit
        assert got[-1] == want[-1]  # runs needed: the search's integer answer
        if want[-2] is None:
            assert got[-2] is None
        else:
            assert got[-2] == pytest.approx(want[-2], rel=1e-13, abs=0)
