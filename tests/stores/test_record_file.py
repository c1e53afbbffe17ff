"""The record file format: what is written reads back the same, and a damaged record is
refused with its place (the stores turn that into a warning and skip it)."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from gate.errors import StoreError
from gate.model import CommitRuns, ExampleScores, Run
from gate.stores.record_file import decode_record, encode_record, mark_duplicates, record_name
from gate.vocabulary import Direction

SHA = "a" * 40


def record(at: float = 1_800_000_000.5, origin: str = "") -> CommitRuns:
    run = Run(
        id="seed-1",
        metrics={"acc": 0.91, "loss": math.inf, "gap": -math.inf, "odd": math.nan},
        params={"lr": "0.001"},
        tags={"note": "a | b <b>"},
        start_time=1_799_999_000.0,
        series={"curve": (0.5, math.nan, 0.7)},
    )
    return CommitRuns(SHA, "main", at, (run,), origin=origin)


def test_a_record_reads_back_as_written() -> None:
    original = record()
    name = record_name(original, "0123abcd")
    assert name == f"{SHA}/20270115T080000Z-0123abcd.json"
    back = decode_record(encode_record(original), where="w", name=name)
    (run,) = back.runs
    assert (back.commit, back.branch, back.recorded_at) == (SHA, "main", 1_800_000_000.5)
    assert run.metrics["acc"] == 0.91 and run.metrics["loss"] == math.inf
    assert run.metrics["gap"] == -math.inf and math.isnan(run.metrics["odd"])
    assert run.series["curve"][0] == 0.5 and math.isnan(run.series["curve"][1])
    assert run.params == {"lr": "0.001"} and run.tags == {"note": "a | b <b>"}
    assert run.start_time == 1_799_999_000.0 and run.origin == "w, run 1"
    json.loads(encode_record(original))  # strict JSON: no bare NaN


def test_per_example_scores_are_recorded_keyed() -> None:
    # Evaluation logs' scores, with repeats, hashes and inputs: `pair_by: example` against
    # main's history pairs them by key, so they must come back whole.
    examples = ExampleScores(
        keys=("q1", "q1", "q2"),
        scores=(1.0, 0.0, math.nan),
        repeats=(0, 1, 0),
        hashes=("h1", "h1", "h2"),
        excerpts=("What is 2 + 2? " * 40, "What is 2 + 2? " * 40, ""),
    )
    run = Run(id="log", metrics={"acc": 0.5}, examples={"task/acc": examples})
    original = CommitRuns(SHA, "main", 1_800_000_000.0, (run,))
    back = decode_record(encode_record(original), where="w", name=record_name(original))
    (found,) = back.runs[0].examples.values()
    assert back.runs[0].examples.keys() == {"task/acc"}
    assert found.keys == examples.keys and found.repeats == examples.repeats
    assert found.scores[:2] == (1.0, 0.0) and math.isnan(found.scores[2])
    assert found.hashes == ("h1", "h1", "h2")
    assert found.excerpts is not None and len(found.excerpts[0]) == 200  # kept short
    assert found.excerpts[2] == ""


def test_the_logs_directions_are_recorded() -> None:
    original = replace(record(), directions={"task/acc": Direction.HIGHER, "loss": Direction.LOWER})
    back = decode_record(encode_record(original), where="w", name=record_name(original))
    assert back.directions == {"task/acc": Direction.HIGHER, "loss": Direction.LOWER}
    document = json.loads(encode_record(original))
    document["directions"] = {"task/acc": "up"}
    with pytest.raises(StoreError, match="`directions` is not a mapping to higher or lower"):
        decode_record(json.dumps(document), where="w", name=record_name(original))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(commit="abc"), "not a full commit SHA"),
        (lambda d: d.update(commit="b" * 40), "names commit bbbbbbbbbbbb but lies under"),
        (lambda d: d.pop("rungate_record"), "no `rungate_record: 1`"),
        (lambda d: d.update(extra=1), "unknown key 'extra'"),
        (lambda d: d.update(recorded_at="soon"), "`recorded_at` is not a time"),
        (lambda d: d.update(runs=[]), "`runs` is not a non-empty list"),
        (lambda d: d["runs"][0]["metrics"].update(acc="high"), "is not a number: 'high'"),
    ],
)
def test_a_damaged_record_is_refused_with_its_place(change: object, message: str) -> None:
    document = json.loads(encode_record(record()))
    change(document)  # type: ignore[operator]
    with pytest.raises(StoreError, match=message) as caught:
        decode_record(json.dumps(document), where="history:records/x.json", name=f"{SHA}/x.json")
    assert str(caught.value).startswith("history:records/x.json: ")


def test_recording_a_commit_again_is_marked_in_time_order() -> None:
    later, earlier = record(at=20.0, origin="b"), record(at=10.0, origin="a")
    other = CommitRuns("c" * 40, "main", 15.0, earlier.runs)
    marked = mark_duplicates([later, other, earlier])
    assert [(r.origin, r.duplicate) for r in marked] == [("a", 0), ("", 0), ("b", 1)]
