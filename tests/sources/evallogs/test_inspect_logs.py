"""inspect_ai logs read as runs.

``data/evallogs/inspect/`` was written by inspect_ai 0.3.285 itself (``inspect
eval`` with ``mockllm/model`` and a solver that answers from a key, on a local
dataset of 30 sums; ``data/evallogs/regenerate.sh``): ``.eval`` logs of two
epochs, whose members are zstd-compressed as inspect writes them, and a small
``.json`` log. The baseline gets q03 and q17 wrong, the candidate q03, q08, q21
and q26, and q11 in its second epoch only.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from support.paths import SOURCE_DATA

from gate.errors import RunSetError
from gate.model import Run
from gate.sources.evallogs.inspect_log import read_inspect
from gate.sources.evallogs.inspect_zip import ZIP_ZSTANDARD, EvalZip
from gate.sources.open import open_paths

DATA = SOURCE_DATA / "evallogs" / "inspect"


def read(path: Path, **options: object) -> Run:
    (run,) = read_inspect((path,), **options).runs  # type: ignore[arg-type]
    return run


def wrong(run: Run, metric: str) -> set[tuple[str, int]]:
    scores = run.examples[metric]
    repeats = scores.repeats or (0,) * len(scores)
    return {
        (key, repeat)
        for key, repeat, score in zip(scores.keys, repeats, scores.scores, strict=True)
        if score == 0
    }


def entries(run: Run) -> dict[str, set[tuple[object, ...]]]:
    """Each metric's scores as a set: the order of the samples is the log's."""
    return {
        metric: set(zip(s.keys, s.repeats or (), s.scores, s.excerpts or (), strict=True))
        for metric, s in run.examples.items()
    }


def test_the_eval_zip_written_by_inspect_is_zstd_compressed() -> None:
    with zipfile.ZipFile(DATA / "pr" / "arith.eval") as archive:
        methods = {info.compress_type for info in archive.infolist()}
    assert ZIP_ZSTANDARD in methods


def test_scores_are_keyed_by_sample_id_with_the_epoch_as_the_repeat() -> None:
    run = read(DATA / "pr" / "arith.eval")
    match = run.examples["arith/match"]
    assert len(match) == 60  # 30 samples x 2 epochs
    assert set(match.repeats or ()) == {0, 1}
    assert wrong(run, "arith/match") == {
        *((key, epoch) for key in ("q03", "q08", "q21", "q26") for epoch in (0, 1)),
        ("q11", 1),
    }
    assert match.excerpts is not None
    assert match.excerpts[match.keys.index("q03")] == "What is 21 + 15?"
    assert match.hashes is None


def test_a_scorers_named_values_are_metrics_of_their_own() -> None:
    run = read(DATA / "base" / "arith.eval")
    assert set(run.examples) == {"arith/match", "arith/shape/exact", "arith/shape/length"}
    assert wrong(run, "arith/shape/exact") == wrong(run, "arith/match")
    assert set(run.examples["arith/shape/length"].scores) == {1.0, 2.0}  # numbers as they are
    assert run.metrics["arith/match"] == pytest.approx(28 / 30)  # accuracy, not its stderr
    assert run.metrics["arith/shape/exact"] == pytest.approx(28 / 30)
    assert run.tags == {"task": "arith", "model": "mockllm/model"}
    assert run.id == "arith.eval"


def test_the_json_log_reads_as_the_eval_log() -> None:
    run = read(DATA / "json" / "arith.json")
    assert len(run.examples["arith/match"]) == 8
    assert run.examples["arith/match"].repeats is None
    assert wrong(run, "arith/match") == {("q03", 0)}
    assert run.start_time is not None


@pytest.mark.parametrize(
    ("value", "score"),
    [
        ("C", 1.0),
        ("I", 0.0),
        ("P", 0.5),
        ("N", 0.0),
        ("yes", 1.0),
        ("0.25", 0.25),
        (True, 1.0),
        (3, 3.0),
    ],
)
def test_values_map_to_numbers_as_inspect_maps_them(
    tmp_path: Path, value: object, score: float
) -> None:
    log = json.loads((DATA / "json" / "arith.json").read_text())
    log["samples"][0]["scores"]["match"]["value"] = value
    (tmp_path / "log.json").write_text(json.dumps(log))
    assert read(tmp_path / "log.json").examples["arith/match"].scores[0] == score


def test_without_the_codec_the_reader_says_what_to_install() -> None:
    with pytest.raises(RunSetError) as raised:
        read_inspect((DATA / "pr" / "arith.eval",), codec="rungate_no_such_codec")
    assert str(raised.value) == (
        f"{DATA / 'pr' / 'arith.eval'}: its members are compressed with zstd, "
        "which needs pip install 'rungate[inspect]'"
    )


def test_deflated_members_need_no_codec(tmp_path: Path) -> None:
    """Older writers deflate; such a log reads without the extra."""
    source = DATA / "pr" / "arith.eval"
    # The test extra has zstandard: unpack with rungate's own reader, repack deflated.
    with zipfile.ZipFile(source) as archive, source.open("rb") as stream:
        original = EvalZip(source, stream)
        members = {name: original.read(name) for name in archive.namelist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    (tmp_path / "old.eval").write_bytes(buffer.getvalue())
    plain = read_inspect((tmp_path / "old.eval",), codec="rungate_no_such_codec").runs[0]
    assert entries(plain) == entries(read(source))


def test_without_summaries_the_sample_members_give_the_same_scores(tmp_path: Path) -> None:
    """summaries.json is read when it is there (one member); the samples/ members otherwise."""
    source = DATA / "pr" / "arith.eval"
    with zipfile.ZipFile(source) as archive, source.open("rb") as stream:
        original = EvalZip(source, stream)
        members = {name: original.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(tmp_path / "partial.eval", "w") as archive:
        for name, data in members.items():
            if name != "summaries.json":
                archive.writestr(name, data)
    assert entries(read(tmp_path / "partial.eval")) == entries(read(source))


def test_a_task_filter_keeps_the_logs_of_those_tasks() -> None:
    assert len(read_inspect((DATA,), tasks=("arith",)).runs) == 3
    with pytest.raises(RunSetError, match="no log of the task 'other'"):
        read_inspect((DATA,), tasks=("other",))


def test_the_command_line_recognises_eval_and_json_logs() -> None:
    for path in (DATA / "base", DATA / "pr" / "arith.eval", DATA / "json" / "arith.json"):
        loaded = open_paths((path,)).load()
        assert loaded.description.startswith("inspect ")
        assert "arith/match" in loaded.runs[0].examples


def test_an_errored_sample_has_no_scores(tmp_path: Path) -> None:
    log = json.loads((DATA / "json" / "arith.json").read_text())
    del log["samples"][1]["scores"]
    log["samples"][1]["error"] = {"message": "timeout"}
    (tmp_path / "log.json").write_text(json.dumps(log))
    keys = read(tmp_path / "log.json").examples["arith/match"].keys
    assert "q02" not in keys
    assert len(keys) == 7
