"""One run record of a JSON or JSON Lines file, turned into a ``Run``."""

from __future__ import annotations

import difflib
import sys

from gate.errors import RecordError
from gate.model import Run, display_value
from gate.sources.files.keyed_examples import keyed_examples
from gate.sources.run_values import json_type, metric_value, series_values, shown, start_time_value

RUN_KEYS = ("id", "metrics", "params", "tags", "start_time", "examples")


def run_from_record(record: object, *, default_id: str, origin: str) -> Run:
    """The run a JSON object describes; ``default_id`` is used when it has no ``id``."""
    if not isinstance(record, dict):
        raise RecordError(f"a run must be a JSON object, not {json_type(record)}")
    _check_keys(record)
    run_id = _run_id(record["id"]) if "id" in record else default_id
    if "metrics" not in record and "examples" not in record:
        raise RecordError(f"run {shown(run_id)} has no 'metrics' object")
    metrics = _json_object(record.get("metrics", {}), "metrics", run_id)
    tags = _json_object(record.get("tags", {}), "tags", run_id)
    values: dict[str, float] = {}
    series: dict[str, tuple[float, ...]] = {}
    for name, v in metrics.items():
        name = sys.intern(name)  # one string for a name all runs share, not one a run
        if type(v) is float:  # most values: no call needed (100,000-run files)
            values[name] = v
        elif isinstance(v, list):
            series[name] = series_values(v, name=name, run_id=run_id)
        else:
            values[name] = metric_value(v, name=name, run_id=run_id)
    return Run(
        id=run_id,
        metrics=values,
        series=series,
        params=_display_values(_json_object(record.get("params", {}), "params", run_id)),
        tags=_display_values(tags),
        start_time=_start_time(record, tags, run_id),
        origin=origin,
        examples=keyed_examples(record["examples"], run_id=run_id) if "examples" in record else {},
    )


def _check_keys(record: dict[str, object]) -> None:
    for key in record:
        if key not in RUN_KEYS:
            close = difflib.get_close_matches(key, RUN_KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise RecordError(
                f"unknown key {shown(key)} in a run{hint} (a run has {', '.join(RUN_KEYS)})"
            )


def _run_id(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise RecordError(f"a run id must be a string or a number, not {json_type(value)}")
    run_id = display_value(value)
    if not run_id:
        raise RecordError("a run id must not be empty")
    return run_id


def _json_object(value: object, key: str, run_id: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise RecordError(
            f"{key!r} of run {shown(run_id)} must be a JSON object, not {json_type(value)}"
        )
    return value


def _display_values(values: dict[str, object]) -> dict[str, str]:
    # A string shows as itself: no call for the common case (100,000-run files).
    # Names and values repeat from run to run: interned, 100,000 runs hold each once.
    return {
        sys.intern(name): sys.intern(value if type(value) is str else display_value(value))
        for name, value in values.items()
    }


def _start_time(record: dict[str, object], tags: dict[str, object], run_id: str) -> float | None:
    # The raw tag, not its display string: display rounds numbers to 6 digits.
    for holder in (record, tags):
        if "start_time" in holder:
            return start_time_value(holder["start_time"], run_id=run_id)
    return None
