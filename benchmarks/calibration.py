"""Calibration and power of rungate's tests, by simulation, next to scipy's.

Run from the repository root with rungate installed:

    python benchmarks/calibration.py [--sims 2000] [--seed 1]

It prints Markdown tables (the ones in docs/statistics.md):

1. the false-alarm rate per metric when nothing changed, for normal,
   log-normal, accuracy-like (Beta(98, 2)), heavy-tailed (t, 3 df) and
   10%-diverged-seed data, n = 2, 3, 5, 10, 30 runs a side;
2. the false-alarm rate per gate with 1, 5 and 20 metrics, independent and
   correlated, with and without Holm's correction;
3. the non-inferiority false-pass rate when the true drop is exactly the margin;
4. the prediction test (one candidate run against n baseline runs): false alarms at
   the tolerance and power beyond it; a percentage tolerance at its boundary;
5. power against drops of 0.25 to 2 standard deviations, unpaired and paired;
6. repeats of examples paired by key (``calibration_repeats.py``): each example's repeats
   averaged before the paired test, against treating repeats as examples.

Rates are over ``--sims`` simulated data sets a cell; the Monte Carlo standard
error of a rate near 0.05 is sqrt(0.05 * 0.95 / sims), printed with the tables.
A cell marked * is above alpha plus two standard errors.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from calibration_repeats import repeats_table
from scipy import stats

from gate.stats import Comparison, StatSettings, compare
from gate.stats.bootstrap import SMALL_SAMPLE
from gate.stats.correction import adjust
from gate.stats.sides import relative_compare
from gate.vocabulary import Correction, TestName

Array = npt.NDArray[np.float64]
Draw = Callable[[np.random.Generator, tuple[int, ...]], Array]

ALPHA = 0.05
SIZES = (2, 3, 5, 10, 30)


def _diverged(rng: np.random.Generator, shape: tuple[int, ...]) -> Array:
    """Normal runs, a tenth of which collapse far below (a diverged seed)."""
    values = rng.normal(0.0, 1.0, shape)
    collapsed = rng.random(shape) < 0.1
    values[collapsed] = -8.0 + rng.normal(0.0, 1.0, int(collapsed.sum()))
    return values


DISTRIBUTIONS: dict[str, Draw] = {
    "normal": lambda rng, shape: rng.normal(0.0, 1.0, shape),
    "log-normal": lambda rng, shape: rng.lognormal(0.0, 1.0, shape),
    "accuracy, Beta(98, 2)": lambda rng, shape: rng.beta(98.0, 2.0, shape),
    "heavy-tailed, t(3)": lambda rng, shape: rng.standard_t(3.0, shape),
    "10% diverged seeds": _diverged,
}


def rungate_p(
    test: str, tolerance: float = 0.0, resamples: int = 2000
) -> Callable[[Array, Array], float]:
    settings = StatSettings(tolerance=tolerance, alpha=ALPHA, resamples=resamples)
    return lambda cand, base: compare(TestName(test), cand, base, settings).p_worse


def scipy_welch(cand: Array, base: Array) -> float:
    return float(stats.ttest_ind(cand, base, equal_var=False, alternative="less").pvalue)


def scipy_paired(cand: Array, base: Array) -> float:
    return float(stats.ttest_rel(cand, base, alternative="less").pvalue)


def rate(p_value: Callable[[Array, Array], float], cand: Array, base: Array) -> float:
    ps = np.array([p_value(c, b) for c, b in zip(cand, base, strict=True)])
    return float(np.mean(np.nan_to_num(ps, nan=1.0) <= ALPHA))


def cell(value: float, sims: int) -> str:
    flagged = value > ALPHA + 2 * math.sqrt(ALPHA * (1 - ALPHA) / sims)
    return f"{value:.3f}{'*' if flagged else ''}"


def false_alarms(rng: np.random.Generator, sims: int) -> list[str]:
    tests: dict[str, Callable[[Array, Array], float]] = {
        "rungate welch (default)": rungate_p("welch"),
        "scipy Welch": scipy_welch,
        "rungate paired_t": rungate_p("paired_t"),
        "scipy paired t": scipy_paired,
        "rungate bootstrap": rungate_p("bootstrap"),
    }
    lines = [
        "| data | test | " + " | ".join(f"n={n}" for n in SIZES) + " |",
        "|---|---|" + "--:|" * len(SIZES),
    ]
    for name, draw in DISTRIBUTIONS.items():
        data = {n: (draw(rng, (sims, n)), draw(rng, (sims, n))) for n in SIZES}
        for test, p_value in tests.items():
            cells = []
            for n in SIZES:
                if test == "rungate bootstrap" and n < SMALL_SAMPLE:
                    cells.append("= welch")  # the bootstrap of the mean hands over
                    continue
                cells.append(cell(rate(p_value, *data[n]), sims))
            lines.append(f"| {name} | {test} | " + " | ".join(cells) + " |")
    return lines


def large_sample_bootstrap(rng: np.random.Generator, sims: int) -> list[str]:
    sizes = (SMALL_SAMPLE, 30, 100)
    lines = [
        "| data | " + " | ".join(f"n={n}" for n in sizes) + " |",
        "|---|" + "--:|" * len(sizes),
    ]
    bootstrap = rungate_p("bootstrap")
    for name, draw in DISTRIBUTIONS.items():
        cells = [
            cell(rate(bootstrap, draw(rng, (sims, n)), draw(rng, (sims, n))), sims) for n in sizes
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def gate_false_alarms(rng: np.random.Generator, sims: int, n: int = 5) -> list[str]:
    lines = [
        "| metrics | correlation | no correction | Holm | Benjamini-Hochberg |",
        "|--:|--:|--:|--:|--:|",
    ]
    welch = rungate_p("welch")
    for metrics in (1, 5, 20):
        for rho in (0.0, 0.5):
            cov = np.full((metrics, metrics), rho) + np.eye(metrics) * (1 - rho)
            chol = np.linalg.cholesky(cov)
            # Each run draws correlated values of all metrics at once.
            cand = rng.normal(size=(sims, n, metrics)) @ chol.T
            base = rng.normal(size=(sims, n, metrics)) @ chol.T
            alarms = {"none": 0, "holm": 0, "bh": 0}
            for c, b in zip(cand, base, strict=True):
                ps = [welch(c[:, m], b[:, m]) for m in range(metrics)]
                for method in alarms:
                    alarms[method] += min(adjust(ps, Correction(method))) <= ALPHA
            lines.append(
                f"| {metrics} | {rho:g} | "
                + " | ".join(cell(alarms[m] / sims, sims) for m in ("none", "holm", "bh"))
                + " |"
            )
    return lines


def noninferiority_false_passes(rng: np.random.Generator, sims: int) -> list[str]:
    margin = 0.5  # in standard deviations; the true drop is exactly the margin
    lines = [
        "| test | " + " | ".join(f"n={n}" for n in SIZES) + " |",
        "|---|" + "--:|" * len(SIZES),
    ]
    for test in ("welch", "paired_t"):
        settings = StatSettings(tolerance=margin, alpha=ALPHA)
        cells = []
        for n in SIZES:
            base = rng.normal(0.0, 1.0, (sims, n))
            cand = rng.normal(-margin, 1.0, (sims, n))
            passes = np.mean(
                [
                    compare(TestName(test), c, b, settings).p_noninferior <= ALPHA
                    for c, b in zip(cand, base, strict=True)
                ]
            )
            cells.append(cell(float(passes), sims))
        lines.append(f"| rungate {test}, mode noninferiority | " + " | ".join(cells) + " |")
    return lines


def relative_tolerance(rng: np.random.Generator, sims: int) -> list[str]:
    """`tolerance: 20%` on a lower-is-better metric, with the candidate exactly 20% worse."""
    fraction, mean, sd = 0.2, 100.0, 10.0
    lines = [
        "| tolerance taken as | rate | " + " | ".join(f"n={n}" for n in SIZES) + " |",
        "|---|---|" + "--:|" * len(SIZES),
    ]
    rows: dict[str, list[str]] = {}
    settings = StatSettings(tolerance=0.0, alpha=ALPHA)

    def estimate(c: Array, b: Array) -> Comparison:
        return relative_compare(TestName.WELCH, c, b, settings, fraction)

    def constant(c: Array, b: Array) -> Comparison:
        known = StatSettings(tolerance=fraction * abs(float(b.mean())), alpha=ALPHA)
        return compare(TestName.WELCH, c, b, known)

    for n in SIZES:
        # Oriented (higher is better): the metric negated.
        base = -rng.normal(mean, sd, (sims, n))
        cand = -rng.normal(mean * (1 + fraction), sd, (sims, n))
        judges: tuple[tuple[str, Callable[[Array, Array], Comparison]], ...] = (
            ("an estimate (rungate)", estimate),
            ("a known constant (before)", constant),
        )
        for label, judged in judges:
            answers = [judged(c, b) for c, b in zip(cand, base, strict=True)]
            alarms = float(np.mean([a.p_worse <= ALPHA for a in answers]))
            passes = float(np.mean([a.p_noninferior <= ALPHA for a in answers]))
            rows.setdefault(f"| {label} | false alarms (detect) |", []).append(cell(alarms, sims))
            rows.setdefault(f"| {label} | false passes (noninferiority) |", []).append(
                cell(passes, sims)
            )
    lines.extend(f"{head} " + " | ".join(cells) + " |" for head, cells in rows.items())
    return lines


def prediction(rng: np.random.Generator, sims: int) -> list[str]:
    """One candidate run against n baseline runs, at the tolerance boundary and beyond."""
    tolerance = 0.5  # in standard deviations
    sizes = (3, 5, 10, 30)
    lines = [
        "| data | true change | " + " | ".join(f"n={n}" for n in sizes) + " |",
        "|---|---|" + "--:|" * len(sizes),
    ]
    for name in ("normal", "accuracy, Beta(98, 2)"):
        draw = DISTRIBUTIONS[name]
        for label, shift in (
            ("at the tolerance (false alarms)", 0.0),
            ("tolerance + 1 SD (power)", 1.0),
            ("tolerance + 2 SD (power)", 2.0),
        ):
            cells = []
            for n in sizes:
                base = draw(rng, (sims, n))
                sd = float(np.std(draw(rng, (200_000,))))
                # The candidate's one run, shifted so that the true change is known.
                cand = draw(rng, (sims, 1)) - (tolerance + shift) * sd
                p_value = rungate_p("prediction", tolerance=tolerance * sd)
                value = rate(p_value, cand, base)
                cells.append(cell(value, sims) if shift == 0.0 else f"{value:.2f}")
            lines.append(f"| {name} | {label} | " + " | ".join(cells) + " |")
    return lines


def power(rng: np.random.Generator, sims: int) -> list[str]:
    shifts = (0.25, 0.5, 1.0, 2.0)
    sizes = (3, 5, 10, 30)
    lines = [
        "| comparison | drop (SD) | " + " | ".join(f"n={n}" for n in sizes) + " |",
        "|---|--:|" + "--:|" * len(sizes),
    ]
    for shift in shifts:
        welch, scipy_w, paired, scipy_p, unpaired_seeded = [], [], [], [], []
        for n in sizes:
            base = rng.normal(0.0, 1.0, (sims, n))
            cand = rng.normal(-shift, 1.0, (sims, n))
            welch.append(rate(rungate_p("welch"), cand, base))
            scipy_w.append(rate(scipy_welch, cand, base))
            # Shared seeds: a seed effect of SD 1 on both sides, run noise of SD 0.3;
            # the drop is in units of the noise.
            seed = rng.normal(0.0, 1.0, (sims, n))
            base_s = seed + rng.normal(0.0, 0.3, (sims, n))
            cand_s = seed + rng.normal(0.0, 0.3, (sims, n)) - 0.3 * shift
            paired.append(rate(rungate_p("paired_t"), cand_s, base_s))
            scipy_p.append(rate(scipy_paired, cand_s, base_s))
            unpaired_seeded.append(rate(rungate_p("welch"), cand_s, base_s))
        for name, values in (
            ("independent runs: rungate welch", welch),
            ("independent runs: scipy Welch", scipy_w),
            ("shared seeds: rungate paired_t", paired),
            ("shared seeds: scipy paired t", scipy_p),
            ("shared seeds: rungate welch (unpaired)", unpaired_seeded),
        ):
            lines.append(f"| {name} | {shift:g} | " + " | ".join(f"{v:.2f}" for v in values) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sims", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    se = math.sqrt(ALPHA * (1 - ALPHA) / args.sims)
    print(f"alpha {ALPHA}, {args.sims} simulated data sets a cell, Monte Carlo SE {se:.4f}\n")
    for title, table in (
        ("False-alarm rate per metric (no change)", false_alarms),
        ("False-alarm rate of the bootstrap-t (mean) where it runs", large_sample_bootstrap),
        ("False-alarm rate per gate, n = 5, normal data", gate_false_alarms),
        ("Non-inferiority false-pass rate at the margin (0.5 SD)", noninferiority_false_passes),
        ("One candidate run against n baseline runs (prediction test)", prediction),
        ("A percentage tolerance at its boundary (20%, normal data, Welch)", relative_tolerance),
        ("Power (normal data)", power),
        (
            "Repeats of examples paired by key (at most 1,000 data sets a cell)",
            lambda rng, sims: repeats_table(rng, min(sims, 1000)),
        ),
    ):
        print(f"### {title}\n")
        print("\n".join(table(rng, args.sims)))
        print()
    print(f"_{time.perf_counter() - started:.0f} s_")


if __name__ == "__main__":
    main()
