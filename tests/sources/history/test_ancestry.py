"""Choosing recorded commits and pooling their runs: pure logic, on made-up records."""

from __future__ import annotations

from gate.model import CommitRuns, Run
from gate.sources.git.repo import Commit
from gate.sources.history.ancestry import by_commit, choose, pooled_runs

A, B, C, D = ("a" * 40, "b" * 40, "c" * 40, "d" * 40)


def recording(sha: str, values: list[float], duplicate: int = 0) -> CommitRuns:
    runs = tuple(Run(id=f"seed-{n}", metrics={"acc": v}) for n, v in enumerate(values))
    return CommitRuns(sha, "main", 0.0, runs, duplicate=duplicate)


def test_the_same_seeds_on_several_commits_stay_apart_and_a_repeat_counts_once() -> None:
    records = [
        recording(A, [0.1, 0.2]),
        recording(A, [0.1, 0.2], duplicate=1),  # the record step re-run on the same files
        recording(A, [0.3, 0.4], duplicate=2),  # the job re-run: new runs
        recording(B, [0.5, 0.6]),
    ]
    runs = pooled_runs(records)
    assert [(run.id, run.metrics["acc"]) for run in runs] == [
        ("seed-0@aaaaaaa", 0.1),
        ("seed-1@aaaaaaa", 0.2),
        ("seed-0@aaaaaaa#3", 0.3),
        ("seed-1@aaaaaaa#3", 0.4),
        ("seed-0@bbbbbbb", 0.5),
        ("seed-1@bbbbbbb", 0.6),
    ]
    assert [run.id for run in pooled_runs(records[:1])] == ["seed-0", "seed-1"]  # kept as is


def test_the_nearest_recorded_ancestors_and_the_history_before_them() -> None:
    ancestry = [Commit(D, 4.0), Commit(C, 3.0), Commit(B, 2.0), Commit(A, 1.0)]
    recorded = by_commit([recording(A, [0.1]), recording(B, [0.2]), recording(C, [0.3])], {})
    choice = choose(recorded, ancestry, window=2)
    assert choice is not None
    assert [c.sha for c in choice.commits] == [C, B] and choice.behind == 1
    assert [r.commit for r in choice.history] == [A, B, C]
    capped = choose(recorded, ancestry, window=1, cap=2)
    assert capped is not None and [r.commit for r in capped.history] == [B, C]
    # `where` narrows first: a commit none of whose runs match counts as not recorded.
    narrowed = by_commit([recording(C, [0.3])], {"id": ("seed-9",)})
    assert choose(narrowed, ancestry, window=1) is None
