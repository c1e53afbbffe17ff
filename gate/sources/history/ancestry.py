"""Which recorded commits a history baseline takes: pure logic over the store's records
and the first-parent ancestry git reports (no git, no store here).

The baseline is the nearest first-parent ancestor of the target commit (the
merge-base, or a revision) that has recorded runs, plus the next ``window - 1``
recorded ancestors; the history is every recorded ancestor from the baseline
back, oldest first, capped. A recording's runs are narrowed by ``where`` first:
a commit whose runs all fail it counts as not recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from gate.model import CommitRuns, Run
from gate.sources.git.repo import Commit

HISTORY_CAP = 200  # recorded commits kept as the baseline's history (trends, shifts)
SHORT = 7
DAY = 86_400.0


@dataclass(frozen=True)
class Choice:
    """The recorded commits a baseline takes, newest first, and how far back they are."""

    commits: tuple[Commit, ...]  # the baseline's commits, newest first (``window`` of them)
    behind: int  # first-parent commits from the target to the newest of them
    history: tuple[CommitRuns, ...]  # recorded history up to the baseline, oldest first
    records: tuple[CommitRuns, ...]  # the recordings pooled into the baseline


def pooled_runs(records: Sequence[CommitRuns]) -> list[Run]:
    """The runs of ``records`` as one run set.

    A run recorded twice unchanged (the record step re-run on the same files) is one
    run, counted once: counting it twice would make the baseline look surer than it
    is. Run ids must be unique in a run set (the core keys values by id), and the same
    seeds recorded on several commits, or a commit recorded twice with new runs, repeat
    them: then every id gets its commit (``seed-1@3f2a9c1``, ``#2`` for a second recording).
    """
    seen: set[tuple[str, str, str, str]] = set()
    runs = []
    for record in records:
        for run in record.runs:
            key = (
                record.commit,
                run.id,
                repr(sorted(run.metrics.items())),
                repr(sorted(run.series.items())),
            )
            if key not in seen:
                seen.add(key)
                runs.append((record, run))
    if len({run.id for _, run in runs}) == len(runs):
        return [run for _, run in runs]
    return [
        replace(
            run,
            id=f"{run.id}@{record.commit[:SHORT]}"
            + (f"#{record.duplicate + 1}" if record.duplicate else ""),
        )
        for record, run in runs
    ]


def by_commit(
    records: Sequence[CommitRuns], keep: Mapping[str, tuple[str, ...]]
) -> dict[str, list[CommitRuns]]:
    """The recordings of each commit, each narrowed to the runs whose fields match ``keep``."""
    grouped: dict[str, list[CommitRuns]] = {}
    for record in records:
        runs = tuple(run for run in record.runs if _matches(run, keep))
        if runs:
            grouped.setdefault(record.commit, []).append(replace(record, runs=runs))
    return grouped


def choose(
    recorded: Mapping[str, list[CommitRuns]],
    ancestry: Sequence[Commit],
    window: int,
    *,
    cap: int = HISTORY_CAP,
) -> Choice | None:
    """The baseline among ``ancestry`` (newest first); None when no ancestor is recorded.
    The history holds the newest ``cap`` recorded commits from the baseline back."""
    found = [(index, commit) for index, commit in enumerate(ancestry) if commit.sha in recorded]
    if not found:
        return None
    kept = found[:cap]
    history = tuple(record for _, commit in reversed(kept) for record in recorded[commit.sha])
    chosen = tuple(commit for _, commit in found[:window])
    pooled = tuple(record for commit in chosen for record in recorded[commit.sha])
    return Choice(chosen, found[0][0], history, pooled)


def choose_by_time(
    recorded: Mapping[str, list[CommitRuns]], branch: str, window: int, *, cap: int = HISTORY_CAP
) -> Choice:
    """Without ancestry (no merge-base): the newest recorded commits of ``branch``."""
    newest = sorted(
        (records for records in recorded.values() if records[0].branch == branch),
        key=lambda records: records[0].recorded_at,
        reverse=True,
    )
    commits = tuple(Commit(records[0].commit, records[0].recorded_at) for records in newest)
    history = tuple(record for records in reversed(newest[:cap]) for record in records)
    pooled = tuple(record for records in newest[:window] for record in records)
    return Choice(commits[:window], 0, history, pooled)


def notes_of(
    choice: Choice,
    *,
    target: Commit | None,
    what: str,
    window: int,
    stale_commits: int,
    stale_days: int,
) -> list[str]:
    """What the report says of the choice: how far back, recorded twice, stale."""
    notes = []
    base = choice.commits[0]
    if len(choice.commits) < window:
        notes.append(
            f"the window asks for {window} recorded commits; only {len(choice.commits)} "
            "are recorded up to the baseline"
        )
    if target is not None and choice.behind:
        notes.append(
            f"baseline is commit {base.sha[:SHORT]}, {_commits(choice.behind)} behind "
            f"{what} {target.sha[:SHORT]}, which has no recorded runs"
        )
    counts: dict[str, int] = {}
    for record in choice.records:
        counts[record.commit] = counts.get(record.commit, 0) + 1
    for sha, count in counts.items():
        if count > 1:
            notes.append(
                f"commit {sha[:SHORT]} was recorded {count} times; the baseline takes the "
                "runs of every recording (a run recorded unchanged twice counts once)"
            )
    days = 0.0 if target is None else (target.time - base.time) / DAY
    if choice.behind > stale_commits or days > stale_days:
        notes.append(
            f"stale baseline: commit {base.sha[:SHORT]} is {_commits(choice.behind)} and "
            f"{days:.0f} days behind {what} (limits: {stale_commits} commits, "
            f"{stale_days} days); record runs on the branch more often"
        )
    return notes


def _commits(count: int) -> str:
    return f"{count} commit{'' if count == 1 else 's'}"


def _matches(run: Run, keep: Mapping[str, tuple[str, ...]]) -> bool:
    return all(run.field_value(field) in values for field, values in keep.items())
