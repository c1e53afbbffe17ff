"""Time rungate's bootstrap kernel against scipy.stats.bootstrap on the same work.

Run from the repository root with rungate installed:

    python benchmarks/bootstrap_speed.py [--repeat 5]

Work: the resampled difference of means of 200 metrics, 30 runs a side,
10,000 resamples; then a paired bootstrap of 100,000 per-example scores, with
its peak memory. Prints medians over ``--repeat`` runs; the figures are in
docs/statistics.md. Shared machines are noisy: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from gate.stats import StatSettings, compare
from gate.stats.kernel import _cached_counts, resampled_statistics
from gate.vocabulary import TestName

Array = npt.NDArray[np.float64]
METRICS, RUNS, RESAMPLES = 200, 30, 10_000


def scipy_loop(cand: Array, base: Array) -> None:
    from scipy import stats

    def difference(x: Array, y: Array, axis: int) -> Array:
        result: Array = x.mean(axis=axis) - y.mean(axis=axis)
        return result

    for m in range(METRICS):
        stats.bootstrap(
            (cand[m], base[m]),
            difference,
            n_resamples=RESAMPLES,
            vectorized=True,
            method="percentile",
            rng=np.random.default_rng(m),
        )


def numpy_gather(cand: Array, base: Array) -> None:
    rng = np.random.default_rng(0)
    for m in range(METRICS):
        picks = rng.integers(0, RUNS, size=(2, RESAMPLES, RUNS))
        _ = cand[m][picks[0]].mean(axis=1) - base[m][picks[1]].mean(axis=1)


def rungate_kernel(cand: Array, base: Array) -> None:
    _cached_counts.cache_clear()  # count rows are drawn once per run, not once ever
    for m in range(METRICS):
        _ = resampled_statistics(cand[m], RESAMPLES, 0, 0) - resampled_statistics(
            base[m], RESAMPLES, 0, 1
        )


def median_seconds(work: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    cand, base = rng.normal(0, 1, (METRICS, RUNS)), rng.normal(0, 1, (METRICS, RUNS))
    print(
        f"{METRICS} metrics x {RUNS} runs a side x {RESAMPLES:,} resamples "
        f"(median of {args.repeat})\n"
    )
    print("| method | seconds | vs rungate |\n|---|--:|--:|")
    timings = {
        "scipy.stats.bootstrap, one call a metric": median_seconds(
            lambda: scipy_loop(cand, base), max(1, args.repeat // 2)
        ),
        "numpy index gather, a metric at a time": median_seconds(
            lambda: numpy_gather(cand, base), args.repeat
        ),
        "rungate kernel (count rows x data)": median_seconds(
            lambda: rungate_kernel(cand, base), args.repeat
        ),
    }
    ours = timings["rungate kernel (count rows x data)"]
    for name, seconds in timings.items():
        print(f"| {name} | {seconds:.3f} | {seconds / ours:.1f}x |")

    scores = 100_000
    base_outcomes = (rng.random(scores) < 0.85).astype(float)
    examples = {
        "0/1 outcomes": (
            np.where(rng.random(scores) < 0.02, 1 - base_outcomes, base_outcomes),
            base_outcomes,
        ),
        "continuous scores": (rng.normal(0, 1, scores), rng.normal(0, 1, scores)),
    }
    settings = StatSettings(tolerance=0.0, alpha=0.05, resamples=RESAMPLES)
    dense = RESAMPLES * scores * 8 / 2**30
    print(
        f"\npaired bootstrap-t of {scores:,} per-example scores, {RESAMPLES:,} resamples "
        f"(a dense count matrix would take {dense:.1f} GiB):\n"
    )
    print("| scores | seconds | peak traced memory |\n|---|--:|--:|")
    for name, (cand_scores, base_scores) in examples.items():
        tracemalloc.start()
        start = time.perf_counter()
        compare(TestName.PAIRED_BOOTSTRAP, cand_scores, base_scores, settings)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"| {name} | {seconds:.2f} | {peak / 2**20:.0f} MiB |")


if __name__ == "__main__":
    main()
