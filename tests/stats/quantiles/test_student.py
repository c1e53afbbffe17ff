"""The quantiles without scipy against scipy's own, and the power figures built on them."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import special

from gate.stats import power
from gate.stats.quantiles.student import EXPANSION_DF, normal_quantile, t_quantile

# Both sides of 1/2; the power's 0.8; one-sided alphas down to a Bonferroni share of
# 0.001 among 200 metrics, and further.
PROBABILITIES = [
    0.05, 0.2, 0.3, 0.55, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999,
    0.99975, 1 - 0.05 / 200, 1 - 0.001 / 200, 1 - 1e-7,
]  # fmt: skip
# Every count up to 2,000 (where the solved and the expanded quantiles meet), then a
# dense sample up to 20,000 (2 x 10,000 runs - 2, the largest the runs-needed search asks).
DEGREES = [*range(1, 2001), *range(2001, 20_001, 7), 19_998, 20_000]


def test_t_quantiles_equal_scipys_on_a_dense_grid() -> None:
    ours = np.array([[t_quantile(df, p) for p in PROBABILITIES] for df in DEGREES])
    theirs = special.stdtrit(np.array(DEGREES)[:, None], np.array(PROBABILITIES)[None, :])
    relative = np.abs(ours / theirs - 1)
    assert relative.max() < 5e-14, relative.max()
    assert np.median(relative) < 1e-15  # most agree to the last bit or two
    assert EXPANSION_DF in DEGREES and EXPANSION_DF - 1 in DEGREES  # both sides of the switch


def test_t_quantiles_near_the_centre_keep_their_relative_precision() -> None:
    # At 1/2 + d the quantile is d / f(0) to first order; f(0) = 2 / (pi sqrt(3)) at df 3.
    for d in (1e-6, 1e-9):
        expected = (1 - 2 * (1 - (0.5 + d))) * math.pi * math.sqrt(3) / 4
        assert t_quantile(3, 0.5 + d) == pytest.approx(expected, rel=1e-12)
    assert t_quantile(7, 0.5) == 0.0
    assert t_quantile(7, 0.25) == -t_quantile(7, 0.75)  # 1 - 0.75 is exactly 0.25


def test_normal_quantiles_equal_scipys() -> None:
    grid = np.concatenate([np.linspace(1e-6, 1 - 1e-6, 2001), PROBABILITIES])
    ours = np.array([normal_quantile(p) for p in grid])
    assert np.abs(ours - special.ndtri(grid)).max() < 4e-15


def test_a_probability_outside_the_unit_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        t_quantile(5, 1.0)


def _scipy_margin(df: float | None, alpha: float, chance: float) -> float:
    """The margin as it was computed before, by scipy alone."""
    if df is None or not math.isfinite(df):
        return float(special.ndtri(1 - alpha) + special.ndtri(chance))
    return float(special.stdtrit(df, 1 - alpha) + special.stdtrit(df, chance))


def test_power_figures_equal_the_scipy_based_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(12)
    cases = []
    for i in range(1500):
        se, runs = 10 ** rng.uniform(-4, 1), float(rng.integers(2, 60))
        alpha = float(rng.choice([0.05, 0.01, 0.05 / 200, 0.001 / 7, 0.1]))
        tolerance = float(se * 10 ** rng.uniform(-1.5, 1.5))
        df = [None, float(rng.integers(1, 200)), float(rng.integers(1, 20_000))][i % 3]
        cases.append((se, runs, alpha, tolerance, bool(rng.integers(2)), df))

    def figures() -> list[tuple[int | None, float]]:
        return [
            (
                power.runs_needed(se, runs, alpha, tol, paired=paired),
                power.detectable_drop(se, df, alpha, tol),
            )
            for se, runs, alpha, tol, paired, df in cases
        ]

    ours = figures()
    monkeypatch.setattr(power, "_margin", _scipy_margin)
    theirs = figures()
    assert [n for n, _ in ours] == [n for n, _ in theirs]  # the search's answer never moves
    assert sum(n is not None for n, _ in ours) > 1000
    for (_, mine), (_, scipys) in zip(ours, theirs, strict=True):
        assert mine == pytest.approx(scipys, rel=1e-13, abs=0)


def test_a_bootstrap_gate_end_to_end_imports_no_scipy(tmp_path: Path) -> None:
    # Its statistics are numpy's and its power figures these quantiles: scipy.special
    # would cost it about 0.2 s of start-up for nothing.
    for side, shift in (("c", -0.02), ("b", 0.0)):
        runs = [
            {
                "id": f"{side}{i}",
                "params": {"seed": i},
                "metrics": {"a": 0.8 + shift + i % 7 / 100, "b": 0.5 + shift + i % 5 / 90},
            }
            for i in range(24)  # 20 a side at least, or the bootstrap hands over to Welch
        ]
        (tmp_path / f"{side}.json").write_text(json.dumps(runs), encoding="utf-8")
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "candidate: c.json\nbaseline: b.json\ntolerance: 0.01\ntest: bootstrap\n"
        "metrics: {a: {direction: higher}, b: {direction: higher,"
        " test: paired_bootstrap, pair_by: params.seed}}\n",
        encoding="utf-8",
    )
    code = (
        "import sys\nfrom gate.cli import main\n"
        f"code = main(['check', '--policy', {str(policy)!r}])\n"
        "print(code, ' '.join(sorted(m for m in sys.modules if m.startswith('scipy'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    last = done.stdout.splitlines()[-1].split()
    assert last[0] in ("0", "1")  # judged, not stopped by an error
    assert last[1:] == []
