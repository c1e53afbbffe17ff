"""One recorded run set as a file: the format the git and folder stores keep.

A record is a JSON object, one file per recording::

    {"rungate_record": 1, "commit": "<40 hex>", "branch": "main",
     "recorded_at": 1764500000.0, "runs": [RUN, ...]}

where RUN is a run of rungate's own run files (``id``, ``metrics``, ``params``,
``tags``, ``start_time``; a metric given as a list is a series; ``examples``, the
per-example scores of evaluation logs, keyed), so a record reads the same way a run
file does. Non-finite values are written as ``"nan"``,
``"inf"`` and ``"-inf"`` (JSON has no such numbers). Files lie at
``<commit>/<time>-<nonce>.json``: a second recording of a commit is a second file,
so two jobs never write the same file.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import replace

from gate.errors import RecordError, StoreError
from gate.model import CommitRuns, ExampleScores, Run
from gate.sources.files.records import run_from_record
from gate.sources.run_values import json_type, shown
from gate.vocabulary import Direction

FORMAT = 1
EXCERPT_CHARS = 200  # the reports show the start of an example's input; keep no more
SUFFIX = ".json"
_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_KEYS = ("rungate_record", "commit", "branch", "recorded_at", "runs", "directions")


def record_name(record: CommitRuns, nonce: str | None = None) -> str:
    """Where a record lies in a store, relative to its root: ``<commit>/<time>-<nonce>.json``."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(record.recorded_at))
    return f"{record.commit}/{stamp}-{nonce or secrets.token_hex(4)}{SUFFIX}"


def is_sha(text: str) -> bool:
    return bool(_SHA.match(text))


def encode_record(record: CommitRuns) -> str:
    document = {
        "rungate_record": FORMAT,
        "commit": record.commit,
        "branch": record.branch,
        "recorded_at": record.recorded_at,
        "runs": [_encode_run(run) for run in record.runs],
    }
    if record.directions:  # what the recorded logs said (lm-eval's higher_is_better)
        document["directions"] = {name: way.value for name, way in record.directions.items()}
    return json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def _encode_run(run: Run) -> dict[str, object]:
    metrics: dict[str, object] = {name: _number(value) for name, value in run.metrics.items()}
    metrics.update({name: [_number(v) for v in values] for name, values in run.series.items()})
    encoded: dict[str, object] = {"id": run.id, "metrics": metrics}
    if run.examples:
        encoded["examples"] = {name: _examples(found) for name, found in run.examples.items()}
    if run.params:
        encoded["params"] = dict(run.params)
    if run.tags:
        encoded["tags"] = dict(run.tags)
    if run.start_time is not None:
        encoded["start_time"] = run.start_time
    return encoded


def _examples(found: ExampleScores) -> list[dict[str, object]]:
    """Keyed per-example scores as the run files' ``examples`` entries (the excerpt kept
    short: it is only shown in reports)."""
    entries = []
    for index, key in enumerate(found.keys):
        entry: dict[str, object] = {"id": key, "score": _number(found.scores[index])}
        if found.repeats is not None and found.repeats[index]:
            entry["repeat"] = found.repeats[index]
        if found.hashes is not None and found.hashes[index]:
            entry["hash"] = found.hashes[index]
        if found.excerpts is not None and found.excerpts[index]:
            entry["input"] = found.excerpts[index][:EXCERPT_CHARS]
        entries.append(entry)
    return entries


def _number(value: float) -> float | str:
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def decode_record(text: str, *, where: str, name: str) -> CommitRuns:
    """The record in ``text``; ``where`` names it in messages (``rungate-history:records/...``)
    and ``name`` is its path in the store, whose folder must be its commit. A record that
    cannot be read whole raises ``StoreError`` naming it and the place."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as err:
        place = f"line {err.lineno}" if isinstance(err, json.JSONDecodeError) else None
        raise StoreError(f"not a JSON record: {err}", source=where, place=place) from None
    if not isinstance(document, dict):
        raise StoreError(f"a record is a JSON object, not {json_type(document)}", source=where)
    unknown = [key for key in document if key not in _KEYS]
    if unknown or document.get("rungate_record") != FORMAT:
        what = f"unknown key {shown(unknown[0])}" if unknown else "no `rungate_record: 1`"
        raise StoreError(f"not a rungate record of format {FORMAT}: {what}", source=where)
    commit, branch = document.get("commit"), document.get("branch")
    if not isinstance(commit, str) or not is_sha(commit):
        raise StoreError(f"`commit` is not a full commit SHA: {shown(commit)}", source=where)
    if name.split("/")[-2:-1] != [commit]:
        raise StoreError(f"names commit {commit[:12]} but lies under {name}", source=where)
    if not isinstance(branch, str):
        raise StoreError(f"`branch` is not a string: {shown(branch)}", source=where)
    recorded_at = document.get("recorded_at")
    if isinstance(recorded_at, bool) or not isinstance(recorded_at, (int, float)):
        raise StoreError(f"`recorded_at` is not a time: {shown(recorded_at)}", source=where)
    raw_runs = document.get("runs")
    if not isinstance(raw_runs, list) or not raw_runs:
        raise StoreError("`runs` is not a non-empty list", source=where)
    runs = []
    for position, raw in enumerate(raw_runs, 1):
        try:
            runs.append(
                run_from_record(
                    raw, default_id=f"{commit[:12]}#{position}", origin=f"{where}, run {position}"
                )
            )
        except RecordError as err:
            raise StoreError(str(err), source=where, place=f"run {position}") from None
    directions = document.get("directions", {})
    ways = {way.value for way in Direction}
    if not isinstance(directions, dict) or not all(way in ways for way in directions.values()):
        raise StoreError(
            f"`directions` is not a mapping to {' or '.join(sorted(ways))}", source=where
        )
    return CommitRuns(
        commit,
        branch,
        float(recorded_at),
        tuple(runs),
        origin=where,
        directions={str(name): Direction(way) for name, way in directions.items()},
    )


def mark_duplicates(records: Iterable[CommitRuns]) -> tuple[CommitRuns, ...]:
    """The records oldest recording first, each marked with how many recordings of its
    commit came before it (0 for the first)."""
    ordered = sorted(records, key=lambda record: (record.recorded_at, record.origin))
    seen: dict[str, int] = {}
    marked = []
    for record in ordered:
        earlier = seen.get(record.commit, 0)
        seen[record.commit] = earlier + 1
        marked.append(_with_duplicate(record, earlier))
    return tuple(marked)


def _with_duplicate(record: CommitRuns, duplicate: int) -> CommitRuns:
    if record.duplicate == duplicate:
        return record
    return replace(record, duplicate=duplicate)
