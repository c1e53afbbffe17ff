"""`rungate dashboard`: write the static site of main's recorded history (docs/history.md).

What it draws is given to ``run_dashboard``: the records a history store read and the
shifts detected in them. The command line's ``from_args`` (reading the policy's
``history:`` store, detecting the shifts) is wired where the store lives.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from gate.commands.arguments import Context
from gate.history import detect_shifts, shift_commits
from gate.model import CommitRuns
from gate.policy import Policy
from gate.report.pictures.site import commit_url_template, write_dashboard
from gate.sources.history.main_line import main_records


def from_args(args: argparse.Namespace, context: Context) -> int:
    policy, records = main_records(args.policy, args.branch)
    shifts = shift_commits(detect_shifts(records, policy.metrics, policy.shifts))
    return run_dashboard(policy=policy, records=records, out=args.out, shifts=shifts)


def run_dashboard(
    *,
    policy: Policy,
    records: Sequence[CommitRuns],
    out: Path,
    shifts: Mapping[str, Sequence[str]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Write the dashboard of ``records`` (oldest first) for the policy's metrics into
    ``out``; each point links to its commit on GitHub when run in a GitHub Actions job."""
    env = os.environ if environ is None else environ
    index = write_dashboard(
        records, policy.metrics, out, shifts=shifts, commit_url=commit_url_template(env)
    )
    commits, metrics = len({record.commit for record in records}), len(policy.metrics)
    print(
        f"rungate: wrote the dashboard of {metrics} metric{'' if metrics == 1 else 's'} "
        f"over {commits} recorded commit{'' if commits == 1 else 's'} to {index}"
    )
    return 0
