"""`rungate history --policy POLICY`: the shifts detected in main's recorded history.

One line a shift (commit, metric, before → after, p), or a Markdown table with
``--markdown``; exit status 0 whether or not there are shifts (they are news,
not a verdict). ``run_history`` is given the records a history store read (like
``run_dashboard``); the command line's ``from_args`` (reading the policy's
``history:`` store) is wired where the store lives. Metric names and commits
come from records a hand could edit, so every string is made inert for where it
lands (a terminal line, a Markdown cell).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from gate.commands.arguments import Context
from gate.history import Shift, detect_shifts
from gate.history.baseline_window import SHORT_SHA
from gate.model import CommitRuns
from gate.policy import Policy
from gate.report.escape import fmt_num, fmt_p, fmt_pct, md_escape, one_line
from gate.sources.history.main_line import main_records

COLUMNS = ("Commit", "Metric", "Before", "After", "Change", "Commits before / after", "p")


def from_args(args: argparse.Namespace, context: Context) -> int:
    policy, records = main_records(args.policy, args.branch)
    return run_history(policy=policy, records=records, markdown=args.markdown)


def run_history(
    *,
    policy: Policy,
    records: Sequence[CommitRuns],
    markdown: bool = False,
    write: Callable[[str], None] = print,
) -> int:
    """Detect the shifts of the policy's metrics in ``records`` (main's recorded commits,
    oldest first, as a history store reads them) and write them."""
    shifts = detect_shifts(records, policy.metrics, policy.shifts)
    commits = len({record.commit for record in records})
    write(shifts_markdown(shifts) if markdown else "\n".join(shift_lines(shifts, commits)))
    return 0


def shift_lines(shifts: Sequence[Shift], recorded: int | None = None) -> list[str]:
    """One line a shift, for a terminal; a single line saying so when there are none."""
    if not shifts:
        where = f" in {recorded} recorded commits" if recorded is not None else ""
        return [f"no shifts{where}"]
    return [
        f"{one_line(shift.commit[:SHORT_SHA])}  {one_line(shift.metric)}  "
        f"{fmt_num(shift.before_mean)} → {fmt_num(shift.after_mean)}  "
        f"({_change(shift)}, {shift.way})  p {_p(shift.p)}"
        for shift in shifts
    ]


def shifts_markdown(shifts: Sequence[Shift]) -> str:
    """A Markdown table of the shifts (a line saying there are none otherwise)."""
    if not shifts:
        return "No shifts in main's recorded history.\n"
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    for shift in shifts:
        cells = (
            md_escape(shift.commit[:SHORT_SHA]),
            md_escape(shift.metric),
            fmt_num(shift.before_mean),
            fmt_num(shift.after_mean),
            f"{_change(shift)} ({shift.way})",
            f"{shift.before_commits} / {shift.after_commits}",
            fmt_p(shift.p),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _change(shift: Shift) -> str:
    relative = shift.relative_change
    if relative is None:
        return fmt_num(shift.change, signed=True)
    return fmt_pct(relative * 100, signed=True)


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {fmt_p(p)}"
