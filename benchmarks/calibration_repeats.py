"""Calibration and power with repeats (epochs, promptfoo repeats) paired by example key.

Part of ``benchmarks/calibration.py``; runs alone too:

    python benchmarks/calibration_repeats.py [--sims 1000] [--seed 1]

Each data set: 300 examples with a shared difficulty (logit ~ N(0.5, 1.5)), and on each
side a persistent example-by-model effect (logit ~ N(0, 1)) that every repeat of the
example shares; each repeat is a 0/1 outcome. So repeats of one example are correlated,
as epochs of one model on one sample are. With no change both sides draw alike; with a
drop the candidate's logits are 0.25 lower. Compared:

- rungate as the gate runs it (``decide``, ``pair_by: example`` over keyed scores with
  repeats): each example's repeats averaged, then the paired t-test on 300 differences;
- the naive alternative of treating every (example, repeat) as an example of its own:
  the paired t-test and McNemar on 300 x repeats pairs.

Then several runs (seeds) a side: each run shifts all of its examples by an effect of its
own; rungate compares the runs' means (Welch), against averaging each example over the
runs and testing the examples, which takes the seeds' shared shift for evidence.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
import numpy.typing as npt
from scipy import stats

from gate.decide import decide
from gate.model import ExampleScores, Run, RunSet
from gate.policy import Policy
from gate.policy.metrics import METRIC
from gate.policy.yamldoc import YamlDocument

Array = npt.NDArray[np.float64]
ALPHA = 0.05
EXAMPLES = 300
REPEATS = (1, 3, 10)
DROP = 0.25  # in logits


def _policy() -> Policy:
    doc = YamlDocument(data=None, source="<calibration>")
    path = ("metrics", "acc")
    given = {"direction": "higher", "pair_by": "example", "test": "paired_t"}
    parsed = {key: METRIC.keys[key].parse(doc, path, value) for key, value in given.items()}
    return Policy(metrics=(METRIC.build(doc, path, parsed, name="acc"),))


POLICY = _policy()
KEYS = [f"q{i}" for i in range(EXAMPLES)]


def _outcomes(rng: np.random.Generator, difficulty: Array, repeats: int, shift: float) -> Array:
    own = rng.normal(0.0, 1.0, EXAMPLES)
    chance = 1.0 / (1.0 + np.exp(-(difficulty + own + shift)))
    outcomes: Array = (rng.random((EXAMPLES, repeats)) < chance[:, None]).astype(float)
    return outcomes


def _side(scores: Array, name: str) -> RunSet:
    repeats = scores.shape[1]
    examples = ExampleScores(
        keys=tuple(key for key in KEYS for _ in range(repeats)),
        scores=tuple(scores.ravel().tolist()),
        repeats=tuple(list(range(repeats)) * EXAMPLES),
    )
    return RunSet((Run(name, {}, examples={"acc": examples}),), name)


def _naive_mcnemar(cand: Array, base: Array) -> float:
    lost = int(np.count_nonzero((base == 1) & (cand == 0)))
    gained = int(np.count_nonzero((base == 0) & (cand == 1)))
    if lost + gained == 0:
        return 1.0
    return float(stats.binom.sf(lost - 1, lost + gained, 0.5))


def _naive_t(cand: Array, base: Array) -> float:
    differences = (cand - base).ravel()
    if not differences.any():
        return 1.0
    return float(stats.ttest_1samp(differences, 0.0, alternative="less").pvalue)


def rates(rng: np.random.Generator, sims: int, repeats: int, shift: float) -> list[float]:
    flagged = np.zeros(3)
    for _ in range(sims):
        difficulty = rng.normal(0.5, 1.5, EXAMPLES)
        cand = _outcomes(rng, difficulty, repeats, shift)
        base = _outcomes(rng, difficulty, repeats, 0.0)
        result = decide(POLICY, _side(cand, "pr"), _side(base, "main")).metrics[0]
        p_values = (result.p_value or 1.0, _naive_t(cand, base), _naive_mcnemar(cand, base))
        flagged += np.array(p_values) <= ALPHA
    return list(flagged / sims)


def repeats_table(rng: np.random.Generator, sims: int) -> list[str]:
    limit = ALPHA + 2 * math.sqrt(ALPHA * (1 - ALPHA) / sims)
    lines = [
        "| repeats | scores a side | rungate (averaged, paired t) | naive paired t "
        "| naive McNemar | power: rungate | power: naive paired t |",
        "|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for repeats in REPEATS:
        null = rates(rng, sims, repeats, 0.0)
        drop = rates(rng, sims, repeats, -DROP)
        cells = [f"{rate:.3f}{'*' if rate > limit else ''}" for rate in null]
        lines.append(
            f"| {repeats} | {EXAMPLES * repeats:,} | {' | '.join(cells)} "
            f"| {drop[0]:.2f} | {drop[1]:.2f} |"
        )
    return lines


RUNS = 3  # seeds a side
RUN_EFFECT = 0.15  # SD of a run's (seed's) shift of all its examples, in logits


def _seeded_side(
    rng: np.random.Generator, difficulty: Array, shift: float, name: str
) -> tuple[RunSet, Array]:
    """RUNS runs over the same examples, each with a shift of its own shared by all of
    its examples (a seed's effect), one 0/1 outcome an example a run."""
    runs, outcomes = [], []
    for seed in range(RUNS):
        offset = rng.normal(0.0, RUN_EFFECT)
        chance = 1.0 / (1.0 + np.exp(-(difficulty + offset + shift)))
        scores = (rng.random(EXAMPLES) < chance).astype(float)
        outcomes.append(scores)
        examples = ExampleScores(keys=tuple(KEYS), scores=tuple(scores.tolist()))
        runs.append(Run(f"{name}-{seed}", {}, examples={"acc": examples}))
    return RunSet(tuple(runs), name), np.mean(outcomes, axis=0)


def seed_rates(rng: np.random.Generator, sims: int, shift: float) -> list[float]:
    flagged = np.zeros(2)
    for _ in range(sims):
        difficulty = rng.normal(0.5, 1.5, EXAMPLES)
        cand, cand_means = _seeded_side(rng, difficulty, shift, "pr")
        base, base_means = _seeded_side(rng, difficulty, 0.0, "main")
        result = decide(POLICY, cand, base).metrics[0]
        # What averaging within examples and testing the examples would say.
        per_example = _naive_t(cand_means, base_means)
        flagged += np.array([result.p_value or 1.0, per_example]) <= ALPHA
    return list(flagged / sims)


def seeds_table(rng: np.random.Generator, sims: int) -> list[str]:
    limit = ALPHA + 2 * math.sqrt(ALPHA * (1 - ALPHA) / sims)
    null, drop = seed_rates(rng, sims, 0.0), seed_rates(rng, sims, -2 * DROP)
    cells = [f"{rate:.3f}{'*' if rate > limit else ''}" for rate in null]
    return [
        "| runs a side | run effect (SD, logits) | rungate (runs' means, Welch) "
        "| averaged per example, paired t | power: rungate | power: per example |",
        "|--:|--:|--:|--:|--:|--:|",
        f"| {RUNS} | {RUN_EFFECT} | {' | '.join(cells)} | {drop[0]:.2f} | {drop[1]:.2f} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sims", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print("\n".join(repeats_table(rng, args.sims)))
    print()
    print("\n".join(seeds_table(rng, args.sims)))


if __name__ == "__main__":
    main()
