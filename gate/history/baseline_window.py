"""Whether a baseline window of recorded commits spans a shift, and where it should
start with ``since_change: true``.

A window pools the runs of several of main's recorded commits (``baseline:
{history: {window: N}}``). Pooling across a change of level mixes two
populations: the baseline's spread grows and its mean sits between the two
levels, so a regression can hide and a neutral change can look like one. A shift
*inside* the window (after its first commit, at or before its last) is said in
the report; with ``since_change: true`` the window starts at the latest such
shift's commit, the first at the new level.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from gate.history.changepoints import Shift
from gate.model import format_number

SHORT_SHA = 7


@dataclass(frozen=True)
class WindowShifts:
    """The shifts inside a window, and where the window would start after them.

    ``start`` indexes the window given (oldest first): ``window[start:]`` are the
    commits from the latest shift inside it on (all of them, ``start == 0``, when
    there is none).
    """

    window: tuple[str, ...]
    spanned: tuple[Shift, ...]
    start: int

    @property
    def since_change(self) -> tuple[str, ...]:
        """The window's commits from the latest shift inside it on."""
        return self.window[self.start :]


def window_shifts(
    window: Sequence[str],
    shifts: Iterable[Shift],
    *,
    history: Sequence[str] | None = None,
    metrics: Collection[str] | None = None,
) -> WindowShifts:
    """The shifts (of ``metrics``, or of all) inside ``window``, oldest commit first.

    ``history`` is the order of all recorded commits (oldest first), the one the
    shifts were detected in; without it, the window itself. A shift at a commit
    the window skips (a run selection left it out) still counts when it lies
    between two of the window's commits in ``history``.
    """
    order = tuple(history) if history is not None else tuple(window)
    position: dict[str, int] = {}
    for index, commit in enumerate(order):
        position.setdefault(commit, index)
    places = [position[commit] for commit in window if commit in position]
    if not places:
        return WindowShifts(tuple(window), (), 0)
    first, last = min(places), max(places)
    spanned = tuple(
        shift
        for shift in shifts
        if (metrics is None or shift.metric in metrics)
        and shift.commit in position
        and first < position[shift.commit] <= last
    )
    if not spanned:
        return WindowShifts(tuple(window), (), 0)
    latest = max(position[shift.commit] for shift in spanned)
    start = next(index for index, commit in enumerate(window) if position.get(commit, -1) >= latest)
    return WindowShifts(tuple(window), spanned, start)


def window_note(found: WindowShifts, *, since_change: bool) -> str | None:
    """The report's note on a window that spans shifts (None when it spans none)."""
    if not found.spanned:
        return None
    described = "; ".join(describe_shift(shift) for shift in found.spanned)
    count = len(found.window)
    what = "a shift" if len(found.spanned) == 1 else f"{len(found.spanned)} shifts"
    note = f"the baseline window of {count} commits spans {what} in main's history: {described}"
    if since_change:
        kept = len(found.since_change)
        return (
            f"{note}; with since_change it starts at {found.since_change[0][:SHORT_SHA]}, "
            f"the first commit at the new level ({kept} of {count} commits kept)"
        )
    return f"{note}; `since_change: true` would start it there"


def describe_shift(shift: Shift) -> str:
    """``accuracy at 1a2b3c4: 0.91 → 0.89 (worse, p < 0.001)``: plain text."""
    return (
        f"{shift.metric} at {shift.commit[:SHORT_SHA]}: {format_number(shift.before_mean)} → "
        f"{format_number(shift.after_mean)} ({shift.way}, {p_text(shift.p)})"
    )


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
