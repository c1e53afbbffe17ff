"""The folder store: records as files, read back in recording order, a bad file skipped."""

from __future__ import annotations

from pathlib import Path

from gate.model import CommitRuns, Run
from gate.policy.recorded import FolderStoreSpec
from gate.stores import open_store

SHA = "d" * 40


def test_records_land_as_files_and_a_bad_one_is_skipped(tmp_path: Path) -> None:
    store = open_store(FolderStoreSpec(tmp_path / "history"))
    assert store.read().records == ()  # no folder yet: nothing recorded
    runs = (Run(id="a", metrics={"acc": 0.9}),)
    first = store.append(CommitRuns(SHA, "main", 2_000.0, runs))
    store.append(CommitRuns(SHA, "main", 1_000.0, runs))
    (tmp_path / "history" / SHA / "zz-broken.json").write_text('{"rungate_record": 1}')

    contents = store.read()
    assert [r.recorded_at for r in contents.records] == [1_000.0, 2_000.0]
    assert [r.duplicate for r in contents.records] == [0, 1]
    assert contents.records[1].origin == first
    (warning,) = contents.warnings
    assert warning.startswith(f"skipped a record: {tmp_path / 'history' / SHA / 'zz-broken.json'}")
    assert list((tmp_path / "history" / SHA).glob(".*")) == []  # no temporary file left
