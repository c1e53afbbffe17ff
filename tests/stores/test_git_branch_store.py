"""The data-branch store against a real bare remote (file://): appends land as one file
per recording, racing jobs both land, the working tree is never touched, and a
hand-edited record is skipped with a warning that names it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from support.git_commands import git
from support.history_repos import bare_remote, clone, commit

from gate.errors import StoreError
from gate.model import CommitRuns, Run
from gate.stores.git_branch import GitBranchStore

BRANCH = "rungate-history"


def recording(sha: str, value: float, at: float) -> CommitRuns:
    runs = (
        Run(id="r1", metrics={"accuracy": value, "loss": float("nan")}, params={"lr": "0.1"}),
        Run(id="r2", metrics={"accuracy": value + 0.01}, series={"curve": (1.0, 0.5)}),
    )
    return CommitRuns(sha, "main", at, runs)


def test_an_append_is_read_back_and_leaves_the_working_tree_alone(tmp_path: Path) -> None:
    job = clone(bare_remote(tmp_path), tmp_path / "job")
    sha = commit(job, "model v2")
    (job / "untracked.txt").write_text("mine")
    status, head = git(job, "status", "--porcelain"), git(job, "symbolic-ref", "HEAD")

    store = GitBranchStore(job, branch=BRANCH)
    assert store.read().records == ()  # nothing recorded yet: no branch on the remote
    where = store.append(recording(sha, 0.9, 1_800_000_000.0))

    assert where.startswith(f"{BRANCH}:records/{sha}/20270115T080000Z-")
    assert git(job, "status", "--porcelain") == status
    assert git(job, "symbolic-ref", "HEAD") == head
    assert git(job, "rev-parse", "HEAD") == sha
    # Another clone (the pull-request job) reads it from the remote.
    reader = clone(git(job, "remote", "get-url", "origin"), tmp_path / "reader")
    contents = GitBranchStore(reader, branch=BRANCH).read()
    assert contents.warnings == ()
    (record,) = contents.records
    assert (record.commit, record.branch, record.recorded_at) == (sha, "main", 1_800_000_000.0)
    first, second = record.runs
    assert first.id == "r1" and first.params == {"lr": "0.1"}
    assert first.metrics["accuracy"] == 0.9 and first.metrics["loss"] != first.metrics["loss"]
    assert second.series == {"curve": (1.0, 0.5)}
    files = git(reader, "ls-tree", "-r", "--name-only", f"origin/{BRANCH}").splitlines()
    assert files[0] == "README.md" and len(files) == 2


def test_two_jobs_racing_both_land(tmp_path: Path) -> None:
    url = bare_remote(tmp_path)
    jobs = [clone(url, tmp_path / f"job{n}") for n in range(2)]
    sha = commit(jobs[0], "model v2")
    git(jobs[0], "push", "-q", "origin", "main")
    waits: list[float] = []
    stores = [GitBranchStore(job, branch=BRANCH, sleep=waits.append) for job in jobs]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def record(store: GitBranchStore, value: float) -> None:
        try:
            for round_ in range(3):
                start.wait()
                store.append(recording(sha, value + round_, 1_800_000_000.0 + round_))
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=record, args=(s, v)) for s, v in zip(stores, (0, 10), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    records = stores[0].read().records
    values = sorted(record.runs[0].metrics["accuracy"] for record in records)
    assert values == [0, 1, 2, 10, 11, 12]
    # One commit recorded six times: each later recording is marked with how many came before.
    assert sorted(record.duplicate for record in records) == [0, 1, 2, 3, 4, 5]
    # The history branch is a line of commits: every push was a fast-forward.
    log = git(jobs[1], "rev-list", "--count", "--merges", f"refs/rungate/{BRANCH}")
    assert log == "0"


def test_a_refused_push_is_retried_a_bounded_number_of_times(tmp_path: Path) -> None:
    job = clone(bare_remote(tmp_path), tmp_path / "job")
    sha = commit(job, "v2")
    remote = Path(git(job, "remote", "get-url", "origin").removeprefix("file://"))
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected' >&2\nexit 1\n")
    hook.chmod(0o755)
    waits: list[float] = []
    store = GitBranchStore(job, branch=BRANCH, attempts=3, sleep=waits.append)
    with pytest.raises(StoreError, match="refused 3 times"):
        store.append(recording(sha, 0.9, 1_800_000_000.0))
    assert len(waits) == 3 and waits[2] > waits[0]


def test_a_hand_edited_record_is_skipped_with_its_place(tmp_path: Path) -> None:
    job = clone(bare_remote(tmp_path), tmp_path / "job")
    sha = commit(job, "v2")
    store = GitBranchStore(job, branch=BRANCH)
    store.append(recording(sha, 0.9, 1_800_000_000.0))
    store.append(recording(sha, 0.8, 1_800_000_100.0))
    # Someone edits the data branch by hand: one record loses a brace.
    editor = clone(git(job, "remote", "get-url", "origin"), tmp_path / "editor")
    git(editor, "checkout", "-q", BRANCH)
    name = sorted(git(editor, "ls-files", "records").splitlines())[0]
    text = (editor / name).read_text()
    (editor / name).write_text(text.replace('"runs"', '"runs', 1))
    (editor / "records" / sha / "notes.txt").write_text("not a record")
    git(editor, "add", "-A")
    git(editor, "commit", "-q", "-m", "hand edit")
    git(editor, "push", "-q", "origin", BRANCH)

    contents = store.read()
    (warning,) = contents.warnings
    assert warning.startswith(f"skipped a record: {BRANCH}:{name}: line ")
    assert "not a JSON record" in warning
    (kept,) = contents.records
    assert kept.runs[0].metrics["accuracy"] == 0.8 and kept.duplicate == 0


def test_a_missing_remote_is_one_clear_error(tmp_path: Path) -> None:
    job = clone(bare_remote(tmp_path), tmp_path / "job")
    store = GitBranchStore(job, branch=BRANCH, remote="upstream")
    with pytest.raises(StoreError, match="git ls-remote failed"):
        store.read()
