"""The history baseline with its store replaced (the ``HistoryStore`` seam) and a real git
repository for the ancestry: warnings stay one line, and the run set carries its notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.history_repos import bare_remote, clone, commit

from gate.model import CommitRuns, Run
from gate.policy.recorded import FolderStoreSpec, HistorySpec
from gate.sources.history.history_source import HistoryGit, HistorySource
from gate.stores import StoreContents


class MemoryStore:
    def __init__(self, records: tuple[CommitRuns, ...], warnings: tuple[str, ...]):
        self.contents = StoreContents(records, warnings)

    def describe(self) -> str:
        return "memory"

    def append(self, record: CommitRuns) -> str:
        raise AssertionError("a baseline never writes")

    def read(self) -> StoreContents:
        return self.contents


def test_a_hostile_warning_is_one_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = clone(bare_remote(tmp_path), tmp_path / "repo")
    base = commit(repo, "m1")
    commit(repo, "m2")
    record = CommitRuns(base, "main", 0.0, (Run(id="a", metrics={"acc": 0.9}),))
    hostile = "skipped a record: records/x\n::error::pwned.json: not JSON"
    spec = HistorySpec(store=FolderStoreSpec(tmp_path), folder=repo, commit="HEAD")
    source = HistorySource(spec, MemoryStore((record,), (hostile,)), HistoryGit(repo), environ={})

    loaded = source.load()

    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "records/x ::error::pwned.json" in err
    assert [run.id for run in loaded.runs] == ["a"]
    assert loaded.notes[0].startswith(f"baseline is commit {base[:7]}, 1 commit behind commit HEAD")
    assert loaded.notes[1] == f"history: {hostile}"  # the report's Markdown escapes it
    assert (
        loaded.description
        == f"history in memory: runs of commit {base[:7]}, 1 commit behind commit HEAD"
    )
