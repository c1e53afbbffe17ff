"""Bootstrap tests of the difference (two samples) or of paired differences, seeded.

A fixed seed makes the same inputs give the same verdict on every run of the
gate. Bounds are order statistics of the resampled differences chosen so that
they agree exactly with the p-values.

A percentile bootstrap is anti-conservative at small n (measured at alpha 0.05:
8% false alarms at n=5), so for the mean below ``SMALL_SAMPLE`` runs a side the
gate uses the t-test instead and says so.
"""

from __future__ import annotations

import math

import numpy as np

from gate.stats import Comparison, Sample, StatSettings
from gate.stats.kernel import resampled_statistics, statistic_of

SMALL_SAMPLE = 20


def bootstrap_test(candidate: Sample, baseline: Sample, settings: StatSettings) -> Comparison:
    smallest = min(candidate.size, baseline.size)
    if smallest < SMALL_SAMPLE and settings.statistic == "mean":
        from gate.stats.welch import welch_test

        return _fallen_back(welch_test(candidate, baseline, settings), smallest)
    rng = np.random.default_rng(settings.seed)
    diffs = resampled_statistics(
        candidate, settings.resamples, rng, settings.statistic
    ) - resampled_statistics(baseline, settings.resamples, rng, settings.statistic)
    estimate = statistic_of(candidate, settings.statistic) - statistic_of(
        baseline, settings.statistic
    )
    return _percentile("bootstrap", estimate, diffs, settings, smallest)


def paired_bootstrap_test(
    candidate: Sample, baseline: Sample, settings: StatSettings
) -> Comparison:
    differences = candidate - baseline
    if differences.size < SMALL_SAMPLE and settings.statistic == "mean":
        from gate.stats.paired import paired_t_test

        return _fallen_back(paired_t_test(candidate, baseline, settings), differences.size)
    rng = np.random.default_rng(settings.seed)
    diffs = resampled_statistics(differences, settings.resamples, rng, settings.statistic)
    estimate = statistic_of(differences, settings.statistic)
    return _percentile("paired_bootstrap", estimate, diffs, settings, differences.size)


def _percentile(
    test: str, estimate: float, diffs: Sample, settings: StatSettings, smallest: int
) -> Comparison:
    diffs = np.sort(diffs)
    resamples = diffs.size
    # p <= alpha  <=>  at most `allowed` resampled differences on the wrong side, and each
    # bound is the order statistic with exactly that many beyond it: test and bound agree.
    allowed = math.floor(settings.alpha * resamples + 1e-9)
    notes: tuple[str, ...] = ()
    if smallest < SMALL_SAMPLE:
        notes = (
            f"a percentile bootstrap with fewer than {SMALL_SAMPLE} runs a side raises false "
            "alarms more often than alpha; read its verdict with care",
        )
    return Comparison(
        test=test,
        delta=estimate,
        low=float(diffs[allowed]),
        high=float(diffs[resamples - 1 - allowed]),
        p_worse=float(np.count_nonzero(diffs >= -settings.tolerance)) / resamples,
        p_better=float(np.count_nonzero(diffs <= 0.0)) / resamples,
        p_noninferior=float(np.count_nonzero(diffs <= -settings.tolerance)) / resamples,
        se=float(diffs.std(ddof=1)),
        notes=notes,
    )


def _fallen_back(comparison: Comparison, smallest: int) -> Comparison:
    from dataclasses import replace

    note = (
        f"bootstrap asked for with {smallest} runs a side: used the t-test instead, which "
        f"holds its false-alarm rate at small n (the percentile bootstrap needs about "
        f"{SMALL_SAMPLE})"
    )
    return replace(comparison, notes=(*comparison.notes, note))
