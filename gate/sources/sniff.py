"""Which format a run file given on the command line is in, from its first bytes.

``--candidate bench.json`` should work on the file ``pytest --benchmark-json`` wrote,
not fail with "no 'runs' list". The formats are told apart by what only each writes
first: pytest-benchmark's object opens with ``machine_info`` (or holds
``benchmarks``), DVC 3's ``exp show --json`` is a list whose first item opens with
``rev``, and a W&B runs-table export's header has its ``State`` and ``Created``
columns. Of the evaluation logs, lm-eval's ``results_*.json`` opens with ``results``, an
inspect_ai log is a ``.eval`` ZIP or an object that opens with ``version`` and ``status``,
and promptfoo's output file opens with ``evalId``. Anything else is rungate's own run file.
A folder is what its first run file is (``.benchmarks/`` holds pytest-benchmark files).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

FileKind = Literal[
    "runs", "pytest_benchmark", "dvc_exp_show", "wandb_csv", "lm_eval", "inspect", "promptfoo"
]

HEAD_BYTES = 65_536
_BENCHMARK = re.compile(rb'^\s*\{\s*"(?:machine_info|benchmarks)"\s*:')
_EXP_SHOW = re.compile(rb'^\s*\[\s*\{\s*"rev"\s*:')
_SUFFIXES = (".json", ".jsonl", ".csv", ".eval")
# Evaluation logs: lm-eval's results file, an inspect_ai log, promptfoo's output file.
_LM_EVAL = re.compile(rb'^\s*\{\s*"results"\s*:\s*\{')
_INSPECT = re.compile(rb'^\s*\{\s*"version"\s*:\s*\d+\s*,\s*"status"\s*:')
_PROMPTFOO = re.compile(rb'^\s*\{\s*"evalId"\s*:')


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
    return _eval_log_kind(file, head)


def _eval_log_kind(file: Path, head: bytes) -> FileKind:
    if file.suffix.lower() == ".eval" or _INSPECT.match(head):
        return "inspect"
    if file.name.startswith("results_") and _LM_EVAL.match(head):
        return "lm_eval"
    if _PROMPTFOO.match(head):
        return "promptfoo"
    return "runs"


def _first_run_file(folder: Path) -> Path | None:
    files = sorted(
        entry
        for entry in folder.rglob("*")
        if entry.suffix.lower() in _SUFFIXES and not entry.name.startswith(".")
    )
    return files[0] if files else None
