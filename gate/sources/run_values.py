"""Coercion of the raw values of run files into what a ``Run`` holds."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from gate.errors import RecordError, RunSetError

T = TypeVar("T")

NON_FINITE_WORDS = frozenset({"nan", "inf", "+inf", "-inf", "infinity", "-infinity"})
MAX_SHOWN = 80


def located(path: Path, place: str, build: Callable[[], T]) -> T:
    """Call ``build``, turning its ``RecordError`` into a ``RunSetError`` at ``path``/``place``."""
    try:
        return build()
    except RecordError as err:
        raise RunSetError(str(err), source=str(path), place=place) from None


def read_text(path: Path) -> str:
    """A run file's text, or a ``RunSetError`` naming it. Only a regular file is read: a
    FIFO or a device (``/dev/zero``) would block or never end."""
    try:
        if not path.is_file():
            what = "no such file" if not path.exists() else "not a regular file"
            raise RunSetError(what, source=str(path))
        data = path.read_bytes()
    except OSError as err:
        raise RunSetError(f"cannot read: {err.strerror or err}", source=str(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RunSetError(
            f"not UTF-8 text: {err.reason}", source=str(path), place=f"byte {err.start}"
        ) from None


def shown(value: object) -> str:
    """``repr(value)``, cut short: hostile data must not turn one message into many lines."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else f"{text[: MAX_SHOWN - 3]}..."


def json_type(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


def metric_value(value: object, *, name: str, run_id: str) -> float:
    """A JSON metric value as a float; NaN and infinities are kept (the policy judges them)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _int_as_float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, str) and value.strip().lower() in NON_FINITE_WORDS:
        return float(value)
    raise _not_a_number(value, name=name, run_id=run_id)


def _int_as_float(value: int) -> float:
    try:
        return float(value)
    except OverflowError:
        # As infinite as JSON's 1e999, which Python's json reads as inf.
        return math.inf if value > 0 else -math.inf


def csv_metric_value(cell: str, *, name: str, run_id: str) -> float:
    """A CSV metric cell as a float: any text ``float()`` reads (``1e-3``, ``nan``)."""
    try:
        return float(cell)
    except ValueError:
        raise _not_a_number(cell, name=name, run_id=run_id) from None


def series_values(value: list[object], *, name: str, run_id: str) -> tuple[float, ...]:
    """A metric given as a list: numbers (per-example scores or a history), or a step
    history ``[{"step": 0, "value": 0.5}, ...]``, returned in step order."""
    if not value:
        raise RecordError(f"metric {shown(name)} of run {shown(run_id)} is an empty list")
    if all(isinstance(item, dict) for item in value):
        points = [_history_point(item, name=name, run_id=run_id) for item in value]  # type: ignore[arg-type]
        return tuple(point for _, point in sorted(points, key=lambda pair: pair[0]))
    return tuple(metric_value(item, name=name, run_id=run_id) for item in value)


def _history_point(item: dict[str, object], *, name: str, run_id: str) -> tuple[float, float]:
    if set(item) - {"step", "value", "timestamp"} or "value" not in item:
        raise RecordError(
            f"metric {shown(name)} of run {shown(run_id)}: a history point is "
            f'{{"step": N, "value": X}}, not {shown(item)}'
        )
    step = item.get("step", 0)
    if isinstance(step, bool) or not isinstance(step, (int, float)):
        raise RecordError(
            f"metric {shown(name)} of run {shown(run_id)}: step must be a number, not {shown(step)}"
        )
    try:
        position = float(step)
    except OverflowError:  # a step of hundreds of digits orders last (or first)
        position = math.inf if step > 0 else -math.inf
    return position, metric_value(item["value"], name=name, run_id=run_id)


def _not_a_number(value: object, *, name: str, run_id: str) -> RecordError:
    return RecordError(
        f"metric {shown(name)} of run {shown(run_id)} is not a number: {shown(value)}"
    )


def start_time_value(value: object, *, run_id: str) -> float:
    """Epoch seconds (or milliseconds, kept as given) from a number or an ISO-8601 string."""
    seconds: float | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = _int_as_float(value)
    elif isinstance(value, float):
        seconds = value
    elif isinstance(value, str):
        seconds = _seconds_from_text(value.strip())
    if seconds is None or not math.isfinite(seconds):
        raise RecordError(
            f"start_time of run {shown(run_id)} is not epoch seconds or an ISO-8601 time: "
            f"{shown(value)}"
        )
    return seconds


def _seconds_from_text(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        pass
    if text.endswith(("Z", "z")):
        # datetime.fromisoformat only learned the "Z" suffix in Python 3.11.
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()
