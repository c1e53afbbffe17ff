"""Where the paired bootstrap-t of the mean may hand over to the paired t-test (issue 12).

The symmetric bootstrap-t's bounds are ``estimate +- q* se``, with q* an order statistic
of |t*| over the resamples; the t-test's are ``estimate +- t_(1-alpha, n-1) se`` with
the same se. The tests can only disagree when q* and the t quantile differ, so the
false-alarm rate and power of the two agree to within the bootstrap's own Monte Carlo
error once |q* - t| is no larger than q*'s own spread across resampling seeds.

Run from the repository root with rungate installed:

    python benchmarks/bootstrap_switch.py [--seeds 5]

For per-example-like data at n = 1,000 to 20,000 pairs, prints the t quantile, the mean
q* over ``--seeds`` resampling seeds, their difference and q*'s standard deviation
(its Monte Carlo error), at alpha 0.05 and 10,000 resamples: rungate's defaults.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy import stats

from gate.stats.kernel import resampled_means_and_variances

Array = npt.NDArray[np.float64]
ALPHA, RESAMPLES = 0.05, 10_000


def _scores(rng: np.random.Generator, n: int) -> Array:
    difficulty = rng.random(n)
    cand = np.clip(difficulty + rng.normal(0, 0.1, n), 0, 1)
    base = np.clip(difficulty + rng.normal(0, 0.1, n), 0, 1)
    diff: Array = cand - base
    return diff


DATA: dict[str, Callable[[np.random.Generator, int], Array]] = {
    "per-example scores in [0, 1], paired by difficulty": _scores,
    "log-normal differences": lambda rng, n: rng.lognormal(0, 1, n) - rng.lognormal(0, 1, n),
    "heavy-tailed, t(3)": lambda rng, n: rng.standard_t(3, n),
    "skewed: exponential": lambda rng, n: rng.exponential(1.0, n),
}


def bootstrap_q(differences: Array, seed: int) -> float:
    """The symmetric bootstrap-t's multiplier, as gate.stats.bootstrap computes it."""
    n = differences.size
    estimate = float(differences.mean())
    means, variances = resampled_means_and_variances(differences, RESAMPLES, seed)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.nan_to_num((means - estimate) / np.sqrt(variances / n), nan=0.0)
    allowed = math.floor(2 * ALPHA * RESAMPLES + 1e-9)
    order = max(RESAMPLES - 1 - allowed, 0)
    return float(np.partition(np.abs(t), order)[order])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    print(
        f"alpha {ALPHA}, {RESAMPLES:,} resamples, q* over {args.seeds} resampling seeds\n\n"
        "| data | pairs | t quantile | q* (mean) | q* - t | SD of q* | within 2 SD |\n"
        "|---|--:|--:|--:|--:|--:|---|"
    )
    for name, draw in DATA.items():
        for n in (1_000, 5_000, 20_000):
            differences = draw(rng, n)
            qs = [bootstrap_q(differences, seed) for seed in range(args.seeds)]
            t = float(stats.t.ppf(1 - ALPHA, n - 1))
            mean, spread = float(np.mean(qs)), float(np.std(qs, ddof=1))
            near = "yes" if abs(mean - t) <= 2 * spread else "no"
            print(
                f"| {name} | {n:,} | {t:.4f} | {mean:.4f} | {mean - t:+.4f} | {spread:.4f} "
                f"| {near} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
