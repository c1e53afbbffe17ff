"""Power figures: the runs-needed search gives what a scan of every count gives."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from gate.stats.power import MAX_RUNS, _margin, runs_needed


def scanned(se: float, runs: float, alpha: float, tolerance: float, *, paired: bool) -> int | None:
    """The definition, one count after another (what the search replaced)."""
    if tolerance <= 0 or se <= 0:
        return None if tolerance <= 0 else 2
    for n in range(2, MAX_RUNS + 1):
        df = n - 1 if paired else 2 * n - 2
        if _margin(df, alpha, 0.8) * se * math.sqrt(runs / n) <= tolerance:
            return n
    return None


@settings(max_examples=40, deadline=None)
@given(
    st.floats(1e-4, 10.0),
    st.floats(1.0, 50.0),
    st.sampled_from([0.05, 0.01, 0.0125, 0.001]),
    st.floats(0.0, 5.0),
    st.booleans(),
)
def test_the_search_finds_the_smallest_count(
    se: float, runs: float, alpha: float, tolerance: float, paired: bool
) -> None:
    expected = scanned(se, runs, alpha, tolerance, paired=paired)
    assert runs_needed(se, runs, alpha, tolerance, paired=paired) == expected


def test_edges() -> None:
    assert runs_needed(1.0, 5, 0.05, 0.0, paired=False) is None  # no tolerance
    assert runs_needed(0.0, 5, 0.05, 0.1, paired=False) == 2  # no spread
    assert runs_needed(100.0, 2, 0.05, 1e-6, paired=True) is None  # beyond MAX_RUNS
    assert runs_needed(0.001, 5, 0.05, 1.0, paired=False) == 2  # already enough
