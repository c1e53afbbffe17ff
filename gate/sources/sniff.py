"""Which format a run file given on the command line is in, from its first bytes.

``--candidate bench.json`` should work on the file ``pytest --benchmark-json`` wrote,
not fail with "no 'runs' list". The formats are told apart by what only each writes
first: pytest-benchmark's object opens with ``machine_info`` (or holds
``benchmarks``), DVC 3's ``exp show --json`` is a list whose first item opens with
``rev``, and a W&B runs-table export's header has its ``State`` and ``Created``
columns. Anything else is rungate's own run file. A folder is what its first run
file is (``.benchmarks/`` holds pytest-benchmark files).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

FileKind = Literal["runs", "pytest_benchmark", "dvc_exp_show", "wandb_csv"]

HEAD_BYTES = 65_536
_BENCHMARK = re.compile(rb'^\s*\{\s*"(?:machine_info|benchmarks)"\s*:')
_EXP_SHOW = re.compile(rb'^\s*\[\s*\{\s*"rev"\s*:')
_SUFFIXES = (".json", ".jsonl", ".csv")


def kind_of(path: Path) -> FileKind:
    """The format of the run file (or the first run file of the folder) ``path``."""
    try:
        file = _first_run_file(path) if path.is_dir() else path
        if file is None or not file.is_file():
            return "runs"  # the reader says what is wrong with it
        with file.open("rb") as stream:
            head = stream.read(HEAD_BYTES)
    except OSError:
        return "runs"
    head = head.removeprefix(b"\xef\xbb\xbf")
    if file.suffix.lower() == ".csv":
        header = head.split(b"\n", 1)[0].decode("utf-8", errors="replace")
        columns = {column.strip().strip('"').lower() for column in header.split(",")}
        return "wandb_csv" if {"state", "created"} <= columns else "runs"
    if _BENCHMARK.match(head):
        return "pytest_benchmark"
    if _EXP_SHOW.match(head):
        return "dvc_exp_show"
    return "runs"


def _first_run_file(folder: Path) -> Path | None:
    files = sorted(
        entry
        for entry in folder.rglob("*")
        if entry.suffix.lower() in _SUFFIXES and not entry.name.startswith(".")
    )
    return files[0] if files else None
