"""Coercion of the raw values of run files into what a ``Run`` holds."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from gate.errors import RunSetError

T = TypeVar("T")

NON_FINITE_WORDS = frozenset({"nan", "inf", "+inf", "-inf", "infinity", "-infinity"})
MAX_SHOWN = 80


class RecordError(Exception):
    """A problem inside one run record; the reader adds the file and the place."""


def located(path: Path, place: str, build: Callable[[], T]) -> T:
    """Call ``build``, turning its ``RecordError`` into a ``RunSetError`` at ``path``/``place``."""
    try:
        return build()
    except RecordError as err:
        raise RunSetError(str(err), source=str(path), place=place) from None


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


def _not_a_number(value: object, *, name: str, run_id: str) -> RecordError:
    message = f"metric {shown(name)} of run {shown(run_id)} is not a number: {shown(value)}"
    if isinstance(value, list):
        message += " (per-example scores and step histories are not supported yet)"
    return RecordError(message)


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
