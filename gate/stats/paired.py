"""Paired tests: each candidate value has a partner in the baseline (same seed, same example).

Pairing removes what the partners share (a seed's luck, an example's
difficulty) from the comparison; with a strong shared effect it turns a drop
no unpaired test can see into one it catches most of the time.
"""

from __future__ import annotations

import math
from itertools import product

import numpy as np
import numpy.typing as npt

from gate.stats import Comparison, Sample, StatSettings
from gate.stats.inversion import lower_bound, upper_bound
from gate.stats.ranks import floor_note
from gate.stats.tdist import exact_comparison, t_comparison
from gate.vocabulary import TestName

Signs = npt.NDArray[np.int8]

EXACT_SIGN_FLIPS = 16  # up to 2**16 sign patterns are enumerated; beyond, they are sampled
SAMPLED_SIGN_FLIPS = 20_000
# Above this many pairs the sign-flip p-value is its normal approximation
# (gate.stats.large.sign_normal): sampling costs SAMPLED_SIGN_FLIPS * n a p-value.
SAMPLED_SIGN_FLIPS_UP_TO = 1_000
SIGN_BLOCK = 2_000  # sign patterns multiplied at once: memory bounded by SIGN_BLOCK * n
# Up to this many pairs the Walsh averages are listed and scipy's exact or permutation
# distributions apply; above, scipy itself uses the normal approximation.
LISTED_WALSH = 50


def paired_t_test(candidate: Sample, baseline: Sample, settings: StatSettings) -> Comparison:
    differences = candidate - baseline
    n = differences.size
    se = float(differences.std(ddof=1)) / math.sqrt(n)
    delta = float(differences.mean())
    if se == 0.0:
        return exact_comparison(TestName.PAIRED_T, delta, settings)
    return t_comparison(TestName.PAIRED_T, delta, se, n - 1, settings)


def wilcoxon_test(candidate: Sample, baseline: Sample, settings: StatSettings) -> Comparison:
    from scipy.stats import wilcoxon  # over a second to import: only when this test is used

    differences = candidate - baseline

    def p_value(shift: float, alternative: str) -> float:
        shifted = differences - shift
        if not np.any(shifted):
            return 1.0  # every pair tied at this shift: no evidence either way
        return float(wilcoxon(shifted, alternative=alternative).pvalue)

    alpha, tolerance = settings.alpha, settings.tolerance
    if differences.size <= LISTED_WALSH:
        upper = np.triu_indices(differences.size)
        walsh = ((differences[:, None] + differences[None, :]) / 2)[upper]
        delta = float(np.median(walsh))  # the Hodges-Lehmann estimate of the shift
        low = lower_bound(walsh, lambda s: p_value(s, "greater") <= alpha)
        high = upper_bound(walsh, lambda s: p_value(s, "less") <= alpha)
    else:  # scipy's normal approximation: the bounds without listing the Walsh averages
        from gate.stats.large.rank_normal import wilcoxon_bounds

        low, high, delta = wilcoxon_bounds(differences, alpha)
    floor = 0.5**differences.size
    return Comparison(
        test=TestName.WILCOXON,
        delta=delta,
        low=low,
        high=high,
        p_worse=p_value(-tolerance, "less"),
        p_better=p_value(0.0, "greater"),
        p_noninferior=p_value(-tolerance, "greater"),
        se=_paired_se(differences),
        df=differences.size - 1,
        floor=floor,
        notes=floor_note("Wilcoxon signed-rank", TestName.WILCOXON, floor, alpha, differences.size),
    )


def sign_flip_test(candidate: Sample, baseline: Sample, settings: StatSettings) -> Comparison:
    """A permutation test of the mean paired difference: under H0 each sign is a coin flip."""
    differences = candidate - baseline
    n = differences.size
    if n > SAMPLED_SIGN_FLIPS_UP_TO:
        return _normal_sign_flip(differences, settings)
    signs = _sign_patterns(n, settings.seed)
    exact = n <= EXACT_SIGN_FLIPS

    def p_value(shift: float, alternative: str) -> float:
        shifted = differences - shift
        observed = shifted.sum()
        flipped = _flipped_sums(signs, np.abs(shifted))
        slack = 1e-12 * max(1.0, float(np.abs(shifted).sum()))
        if alternative == "less":
            hits = np.count_nonzero(flipped <= observed + slack)
        else:
            hits = np.count_nonzero(flipped >= observed - slack)
        # Sampled patterns count the observed one too, so p is never 0 (Phipson & Smyth).
        return float(hits / signs.shape[0] if exact else (hits + 1) / (signs.shape[0] + 1))

    alpha, tolerance = settings.alpha, settings.tolerance
    grid = _breakpoints(differences, signs, exact)
    floor = 0.5**n if exact else 1 / (signs.shape[0] + 1)
    return Comparison(
        test=TestName.SIGNFLIP,
        delta=float(differences.mean()),
        low=lower_bound(grid, lambda s: p_value(s, "greater") <= alpha),
        high=upper_bound(grid, lambda s: p_value(s, "less") <= alpha),
        p_worse=p_value(-tolerance, "less"),
        p_better=p_value(0.0, "greater"),
        p_noninferior=p_value(-tolerance, "greater"),
        se=_paired_se(differences),
        df=n - 1,
        floor=floor,
        notes=floor_note("sign-flip", TestName.SIGNFLIP, floor, alpha, n),
    )


def _normal_sign_flip(differences: Sample, settings: StatSettings) -> Comparison:
    from gate.stats.large.sign_normal import sign_flip_bounds, sign_flip_p, smallest_sign_flip_p

    alpha, tolerance, n = settings.alpha, settings.tolerance, differences.size
    low, high = sign_flip_bounds(differences, alpha)
    floor = smallest_sign_flip_p(n)
    return Comparison(
        test=TestName.SIGNFLIP,
        delta=float(differences.mean()),
        low=low,
        high=high,
        p_worse=sign_flip_p(differences, -tolerance, "less"),
        p_better=sign_flip_p(differences, 0.0, "greater"),
        p_noninferior=sign_flip_p(differences, -tolerance, "greater"),
        se=_paired_se(differences),
        df=n - 1,
        floor=floor,
        notes=floor_note("sign-flip", TestName.SIGNFLIP, floor, alpha, n),
    )


def _breakpoints(differences: Sample, signs: Signs, exact: bool) -> Sample:
    """The shifts where the p-value can change: where the mean of some subset of the
    differences equals the shift (its flipped and unflipped sums then tie). Sampled
    patterns have too many subsets to list, so a fine grid stands in."""
    if exact:
        chosen = signs < 0
        sizes = chosen.sum(axis=1)
        keep = sizes > 0
        means: Sample = (chosen[keep].astype(np.float64) @ differences) / sizes[keep]
        return means
    span = float(differences.max() - differences.min()) or 1.0
    grid: Sample = np.linspace(differences.min() - span, differences.max() + span, 4097)
    return grid


def _sign_patterns(n: int, seed: int) -> Signs:
    if n <= EXACT_SIGN_FLIPS:
        return np.array(list(product((1, -1), repeat=n)), dtype=np.int8)
    rng = np.random.default_rng(seed)
    # The same draws as of (1.0, -1.0), kept in a byte each instead of eight.
    patterns: Signs = rng.choice(np.array((1, -1), dtype=np.int8), size=(SAMPLED_SIGN_FLIPS, n))
    return patterns


def _flipped_sums(signs: Signs, sizes: Sample) -> Sample:
    """Each pattern's signed sum of ``sizes``, a block of patterns at a time."""
    sums = np.empty(signs.shape[0])
    for start in range(0, signs.shape[0], SIGN_BLOCK):
        block = signs[start : start + SIGN_BLOCK].astype(np.float64)
        sums[start : start + SIGN_BLOCK] = block @ sizes
    return sums


def _paired_se(differences: Sample) -> float:
    return float(differences.std(ddof=1)) / math.sqrt(differences.size)
