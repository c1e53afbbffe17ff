"""``shifts:``: how change points in main's recorded history are detected and confirmed.

A top-level mapping, every key optional::

    shifts: {p: 0.001, min_change: 0, min_commits: 5}

The method (E-divisive means, confirmed by a t-test) is in
``gate.history.changepoints``; docs/history.md explains the settings and
docs/statistics.md the false change points and detection delays they give.
"""

from __future__ import annotations

from dataclasses import dataclass

from gate.policy import values
from gate.policy.table import Table, key
from gate.policy.values import Tolerance
from gate.policy.yamldoc import Path_, YamlDocument

DEFAULT_SHIFT_P = 0.001
DEFAULT_MIN_COMMITS = 5
MOST_MIN_COMMITS = 100


def shift_p(doc: YamlDocument, path: Path_, value: object) -> float:
    """The largest two-sided p-value of the confirming test, in (0, 0.1]."""
    level = values.number(doc, path, value)
    if not 0 < level <= 0.1:
        raise doc.error(
            path,
            f"must be in (0, 0.1] (the largest p-value a shift is confirmed at), not {level:g}",
        )
    return level


def min_commits(doc: YamlDocument, path: Path_, value: object) -> int:
    """The fewest commits on each side of a shift: 2 (a t-test needs a spread) to 100."""
    if isinstance(value, int) and not isinstance(value, bool) and 2 <= value <= MOST_MIN_COMMITS:
        return value
    raise doc.error(
        path, f"must be a whole number of commits from 2 to {MOST_MIN_COMMITS}, not {value!r}"
    )


@dataclass(frozen=True)
class ShiftSettings:
    p: float = key(
        shift_p,
        default=DEFAULT_SHIFT_P,
        help="the largest two-sided p-value (Student's t-test of the commits either side) "
        "at which a change point is confirmed",
    )
    min_change: Tolerance = key(
        values.tolerance,
        default=Tolerance(0.0),
        help="the smallest change of the mean that counts as a shift: in the metric's "
        "units, or a percentage of the mean before it such as '1%'",
    )
    min_commits: int = key(
        min_commits,
        default=DEFAULT_MIN_COMMITS,
        help="the fewest recorded commits on each side of a shift",
    )


SHIFTS = Table(ShiftSettings, example="`{p: 0.001, min_change: '1%'}`")
DEFAULT_SHIFTS = ShiftSettings()


def parse_shifts(doc: YamlDocument, path: Path_, node: object) -> ShiftSettings:
    return SHIFTS.parse(doc, path, node)
