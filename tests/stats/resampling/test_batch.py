"""The batched bootstrap (one product for many metrics) against the per-metric path."""

from __future__ import annotations

from typing import Any

import numpy as np
from support.policies import metric

from gate.decide import decide, measure
from gate.model import Run, RunSet
from gate.policy import Policy
from gate.stats.kernel import resampled_means_and_variances
from gate.stats.resampling.batch import batched_moments, measure_batched, resamples_means


def _sides(metrics: int, runs: int, seed: int) -> tuple[RunSet, RunSet]:
    rng = np.random.default_rng(seed)
    shared = rng.normal(0.8, 0.05, (runs, metrics))
    sets = []
    for side, drop in (("c", 0.012), ("b", 0.0)):
        values = shared + rng.normal(-drop, 0.01, (runs, metrics))
        sets.append(
            RunSet(
                runs=tuple(
                    Run(
                        id=f"{side}{i}",
                        metrics={f"m{k}": float(values[i, k]) for k in range(metrics)},
                        params={"seed": str(i)},
                    )
                    for i in range(runs)
                ),
                description=side,
            )
        )
    return sets[0], sets[1]


def _policy(metrics: int) -> Policy:
    kinds: list[dict[str, Any]] = [
        {"test": "bootstrap", "tolerance": 0.01},
        {"test": "bootstrap", "tolerance": "1%"},
        {"test": "paired_bootstrap", "pair_by": "params.seed", "tolerance": 0.005},
        {"test": "bootstrap", "statistic": "median", "tolerance": 0.01},
        {"test": "welch", "tolerance": 0.01},
        {"test": "bootstrap", "direction": "lower", "tolerance": 0.0},
    ]
    return Policy(metrics=tuple(metric(f"m{k}", **kinds[k % len(kinds)]) for k in range(metrics)))


def test_batched_verdicts_and_figures_equal_the_per_metric_ones() -> None:
    candidate, baseline = _sides(30, 25, 1)
    policy = _policy(30)
    batched = measure_batched(lambda spec: measure(spec, candidate, baseline), policy.metrics)
    alone = [measure(spec, candidate, baseline) for spec in policy.metrics]
    assert [m.result for m in batched] == [m.result for m in alone]
    assert [m.comparison for m in batched] == [m.comparison for m in alone]
    verdicts = {m.verdict for m in decide(policy, candidate, baseline).metrics}
    assert len(verdicts) > 1  # the data reach more than one verdict: the test can tell


def test_which_metrics_share_the_product() -> None:
    specs = _policy(6).metrics
    assert [resamples_means(spec) for spec in specs] == [True, True, True, False, False, True]


def test_few_runs_fall_back_and_still_match() -> None:
    candidate, baseline = _sides(12, 8, 2)  # below the bootstrap's 20: Welch and paired t
    policy = _policy(12)
    batched = measure_batched(lambda spec: measure(spec, candidate, baseline), policy.metrics)
    assert [m.result for m in batched] == [
        measure(spec, candidate, baseline).result for spec in policy.metrics
    ]


def test_the_real_pass_answers_from_the_shared_product() -> None:
    rng = np.random.default_rng(3)
    data = {"a": rng.normal(0, 1, 25), "b": rng.normal(5, 2, 25)}
    specs = (metric("a", test="bootstrap"), metric("b", test="bootstrap"))
    answers = measure_batched(lambda spec: batched_moments(data[spec.name], 500, 7, 1), specs)
    for spec, answer in zip(specs, answers, strict=True):
        assert answer is not None  # from the product, not computed a metric at a time
        alone = resampled_means_and_variances(data[spec.name], 500, 7, 1)
        assert np.array_equal(answer[0], alone[0])
        assert np.array_equal(answer[1], alone[1])
    assert batched_moments(data["a"], 500, 7, 1) is None  # outside a batch: no answer
