"""Runs from a CSV file: one run a row, one field a column.

Columns are ``id``, ``start_time``, ``params.NAME``, ``tags.NAME``, and
metrics: ``metrics.NAME`` or any other name. An empty cell means the run has
no value there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from gate.errors import RecordError, RunSetError
from gate.model import Run
from gate.sources.run_values import csv_metric_value, located, shown, start_time_value

SECTIONS = ("params", "tags", "metrics")


@dataclass(frozen=True)
class Column:
    section: str  # "id", "start_time", "params", "tags" or "metrics"
    name: str


def runs_from_csv(text: str, path: Path) -> list[Run]:
    """The runs of CSV ``text`` read from ``path``; the first non-blank row is the header."""
    rows = _rows(text, path)
    header_line, header = next(rows, (0, []))
    columns = located(path, f"line {header_line}", partial(_columns, header))
    runs: list[Run] = []
    for line, row in rows:
        build = partial(
            _run_from_row,
            columns,
            row,
            default_id=f"{path.name}#{len(runs) + 1}",
            origin=f"{path}, line {line}",
        )
        runs.append(located(path, f"line {line}", build))
    return runs


def _rows(text: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows, each with the line it starts on."""
    # strict: an unclosed quote would otherwise swallow the rest of the file into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader, None)
        except csv.Error as err:
            raise RunSetError(
                f"malformed CSV: {err}", source=str(path), place=f"line {line}"
            ) from None
        if row is None:
            return
        if any(cell.strip() for cell in row):
            yield line, row


def _columns(header: Sequence[str]) -> list[Column]:
    columns: list[Column] = []
    first_named: dict[Column, str] = {}
    for number, name in enumerate(header, 1):
        column = _column(number, name)
        if column in first_named:
            earlier = first_named[column]
            same = "" if earlier == name else f" (the same as {shown(earlier)})"
            raise RecordError(f"duplicate column {shown(name)}{same}")
        first_named[column] = name
        columns.append(column)
    return columns


def _column(number: int, name: str) -> Column:
    if not name.strip():
        raise RecordError(f"column {number} of the header has no name")
    if name in ("id", "start_time"):
        return Column(name, name)
    section, dot, rest = name.partition(".")
    if not (dot and section in SECTIONS):
        return Column("metrics", name)
    if not rest:
        raise RecordError(f"column {shown(name)} has no name after {section + '.'!r}")
    return Column(section, rest)


def _run_from_row(columns: list[Column], row: list[str], *, default_id: str, origin: str) -> Run:
    if len(row) > len(columns):
        raise RecordError(f"the row has {len(row)} cells but the header has {len(columns)}")
    cells = [(column, cell) for column, cell in zip(columns, row, strict=False) if cell.strip()]
    run_id = next((cell for column, cell in cells if column.section == "id"), default_id)
    section = partial(_section, cells)
    metrics = {
        name: csv_metric_value(cell, name=name, run_id=run_id)
        for name, cell in section("metrics").items()
    }
    tags = section("tags")
    start_time = section("start_time").get("start_time", tags.get("start_time"))
    return Run(
        id=run_id,
        metrics=metrics,
        params=section("params"),
        tags=tags,
        start_time=None if start_time is None else start_time_value(start_time, run_id=run_id),
        origin=origin,
    )


def _section(cells: list[tuple[Column, str]], section: str) -> dict[str, str]:
    return {column.name: cell for column, cell in cells if column.section == section}
