"""Checked reads of the JSON inside evaluation logs: each problem names the file and the place."""

from __future__ import annotations

import json
import math
from pathlib import Path

from gate.errors import RunSetError
from gate.sources.run_values import json_type, shown


def json_object(file: Path, text: str | bytes, place: str | None = None) -> dict[str, object]:
    value = _parsed(file, text, place)
    if not isinstance(value, dict):
        raise RunSetError(
            f"must be a JSON object, not {json_type(value)}", source=str(file), place=place
        )
    return value


def json_list(file: Path, text: str | bytes, place: str | None = None) -> list[object]:
    value = _parsed(file, text, place)
    if not isinstance(value, list):
        raise RunSetError(
            f"must be a JSON list, not {json_type(value)}", source=str(file), place=place
        )
    return value


def _parsed(file: Path, text: str | bytes, place: str | None) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as err:  # RecursionError: nested past Python's limit
        raise RunSetError(f"not valid JSON: {err}", source=str(file), place=place) from None


def _place(place: str | None, name: str) -> str:
    return f"{place}.{name}" if place else name


def _missing(file: Path, name: str, place: str | None, what: str) -> RunSetError:
    return RunSetError(
        f"`{name}` is missing: is this {what}?", source=str(file), place=_place(place, name)
    )


def object_field(
    file: Path, record: dict[str, object], name: str, *, place: str | None = None, what: str
) -> dict[str, object]:
    """``record[name]``, which must be an object; ``what`` names the format for the message."""
    value = record.get(name)
    if value is None:
        raise _missing(file, name, place, what)
    if not isinstance(value, dict):
        raise RunSetError(
            f"must be an object, not {json_type(value)}",
            source=str(file),
            place=_place(place, name),
        )
    return value


def list_field(
    file: Path, record: dict[str, object], name: str, *, place: str | None = None, what: str
) -> list[object]:
    value = record.get(name)
    if value is None:
        raise _missing(file, name, place, what)
    if not isinstance(value, list):
        raise RunSetError(
            f"must be a list, not {json_type(value)}", source=str(file), place=_place(place, name)
        )
    return value


def number(file: Path, place: str, value: object) -> float:
    """A score or metric value: a number (``true``/``false`` count as 1 and 0)."""
    if isinstance(value, (bool, int, float)):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    raise RunSetError(f"not a number: {shown(value)}", source=str(file), place=place)


def key_text(file: Path, place: str, value: object, name: str) -> str:
    """An example's id: a number or a string."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or value == "":
        raise RunSetError(
            f"`{name}` must be a number or a string, not {shown(value)}",
            source=str(file),
            place=place,
        )
    return str(value)
