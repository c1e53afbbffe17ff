"""Run files with per-example scores keyed by example id (the ``examples`` object)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.errors import RunSetError
from gate.model import ExampleScores
from gate.sources.files.read import read_runs


def read_one(tmp_path: Path, record: object) -> dict[str, ExampleScores]:
    path = tmp_path / "run.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    (run,) = read_runs(path)
    return dict(run.examples)


def test_a_run_of_keyed_examples_needs_no_metrics(tmp_path: Path) -> None:
    examples = read_one(
        tmp_path,
        {
            "id": "pr",
            "examples": {
                "acc": [
                    {"id": "q1", "score": 1, "input": "What is 2 + 2?", "hash": "ab"},
                    {"id": 2, "score": 0, "repeat": 1, "hash": "cd"},
                ]
            },
        },
    )
    assert examples == {
        "acc": ExampleScores(
            keys=("q1", "2"),
            scores=(1.0, 0.0),
            repeats=(0, 1),
            hashes=("ab", "cd"),
            excerpts=("What is 2 + 2?", ""),
        )
    }


def test_plain_examples_carry_no_hashes_or_excerpts(tmp_path: Path) -> None:
    (scores,) = read_one(tmp_path, {"examples": {"acc": [{"id": "a", "score": "nan"}]}}).values()
    assert scores.hashes is None and scores.excerpts is None and scores.repeats == (0,)


@pytest.mark.parametrize(
    ("examples", "message"),
    [
        ([1, 0], "entry 0 must be an object with 'id' and 'score'"),
        ([{"id": "a", "score": 1, "text": "x"}], "entry 0 has unknown key 'text'"),
        ([{"id": "a", "score": "high"}], "acc"),
        ([{"id": "", "score": 1}], "'id' must not be empty"),
        ([{"id": "a", "score": 1, "repeat": 1.5}], "'repeat' must be a whole number"),
        ({"a": 1}, "must be a list of examples"),
    ],
)
def test_malformed_examples_name_the_file_and_the_run(
    tmp_path: Path, examples: object, message: str
) -> None:
    with pytest.raises(RunSetError, match=message) as err:
        read_one(tmp_path, {"id": "pr", "examples": {"acc": examples}})
    assert err.value.source is not None and err.value.source.endswith("run.json")
