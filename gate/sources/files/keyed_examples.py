"""The ``examples`` object of a run record: per-example scores keyed by example id.

    "examples": {"accuracy": [{"id": "q1", "score": 1}, {"id": "q2", "score": 0,
                 "repeat": 1, "hash": "9f2c", "input": "What is 2 + 2?"}]}

What an evaluation log holds, written by any script: with ``pair_by: example`` the two
sides are paired by ``id`` (``repeat`` tells repeats of one example apart, ``hash``
catches two sides that scored different inputs under one id, ``input`` is shown in
the report), never by position.
"""

from __future__ import annotations

from gate.errors import RecordError
from gate.model import ExampleScores, display_value
from gate.sources.run_values import json_type, metric_value, shown

EXAMPLE_KEYS = ("id", "score", "repeat", "hash", "input")


def keyed_examples(value: object, *, run_id: str) -> dict[str, ExampleScores]:
    """The ``examples`` object of run ``run_id``: metric name -> its keyed scores."""
    if not isinstance(value, dict):
        raise RecordError(
            f"'examples' of run {shown(run_id)} must be a JSON object, not {json_type(value)}"
        )
    return {name: _scores(items, name=name, run_id=run_id) for name, items in value.items()}


def _scores(items: object, *, name: str, run_id: str) -> ExampleScores:
    where = f"examples {shown(name)} of run {shown(run_id)}"
    if not isinstance(items, list):
        raise RecordError(f"{where} must be a list of examples, not {json_type(items)}")
    keys, scores, repeats, hashes, inputs = [], [], [], [], []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "id" not in item or "score" not in item:
            raise RecordError(
                f"{where}: entry {index} must be an object with 'id' and 'score', "
                f'such as {{"id": "q1", "score": 1}}'
            )
        unknown = [key for key in item if key not in EXAMPLE_KEYS]
        if unknown:
            raise RecordError(
                f"{where}: entry {index} has unknown key {shown(unknown[0])} "
                f"(an example has {', '.join(EXAMPLE_KEYS)})"
            )
        repeat = item.get("repeat", 0)
        if isinstance(repeat, bool) or not isinstance(repeat, int):
            raise RecordError(f"{where}: entry {index}: 'repeat' must be a whole number")
        keys.append(_text(item["id"], f"{where}: entry {index}: 'id'"))
        scores.append(metric_value(item["score"], name=name, run_id=run_id))
        repeats.append(repeat)
        hashes.append(_text(item.get("hash", ""), f"{where}: entry {index}: 'hash'", empty=True))
        inputs.append(_text(item.get("input", ""), f"{where}: entry {index}: 'input'", empty=True))
    return ExampleScores(
        keys=tuple(keys),
        scores=tuple(scores),
        repeats=tuple(repeats),
        hashes=tuple(hashes) if any(hashes) else None,
        excerpts=tuple(inputs) if any(inputs) else None,
    )


def _text(value: object, where: str, *, empty: bool = False) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise RecordError(f"{where} must be a string or a number, not {json_type(value)}")
    text = display_value(value)
    if not text and not empty:
        raise RecordError(f"{where} must not be empty")
    return text
