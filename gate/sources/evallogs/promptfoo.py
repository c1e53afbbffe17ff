"""promptfoo's output file (``promptfoo eval -o out.json``), results ``version`` 3.

``results.results`` holds one entry per test, prompt and provider: ``testIdx``,
``promptIdx``, ``provider{id, label}``, ``prompt{label}``, ``testCase{vars,
description}``, ``success``, ``score`` and ``namedScores``. Each entry scores
metric ``PROMPT/pass`` (1 for a passed test, 0 for a failed one) and
``PROMPT/NAME`` for each named score, keyed by the test's index (with
``@PROVIDER`` when the file has several providers). ``--repeat`` runs a test
case again under a new index: entries with the same test case are one example,
its repeats numbered in file order. A run's metrics are the means over its entries.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from gate.errors import RecordError, RunSetError
from gate.model import Run
from gate.sources.evallogs.log_json import json_object, list_field, number, object_field
from gate.sources.evallogs.log_source import Logs, ScoreTable, excerpt, log_files, mean_of, run_name
from gate.sources.run_values import read_text, shown, start_time_value

VERSIONS = (3,)
WHAT = "promptfoo's output (promptfoo eval -o out.json)"


def read_promptfoo(paths: tuple[Path, ...], *, prompts: tuple[str, ...] = ()) -> Logs:
    runs = []
    for path in paths:
        for file in log_files(path, ("*.json",), "promptfoo output files (.json)"):
            runs.append(_run(file, run_name(path, file), prompts))
    return Logs(runs)


def _run(file: Path, name: str, prompts: tuple[str, ...]) -> Run:
    document = json_object(file, read_text(file))
    results = object_field(file, document, "results", what=WHAT)
    version = results.get("version")
    if version not in VERSIONS:
        raise RunSetError(
            f"a promptfoo output of version {shown(version)}; this rungate reads version "
            f"{', '.join(map(str, VERSIONS))}",
            source=str(file),
            place="results.version",
        )
    labels = _prompt_labels(file, results)
    entries = list_field(file, results, "results", place="results", what=WHAT)
    if not entries:
        raise RunSetError(
            "no test results (was it written with --no-write?)",
            source=str(file),
            place="results.results",
        )
    checked = [_entry(file, index, entry) for index, entry in enumerate(entries)]
    providers = {_provider(entry) for entry in checked}
    numbers = _case_keys(checked)
    table = ScoreTable()
    seen: dict[tuple[str, str], int] = {}  # (prompt, key) -> repeats so far
    for index, entry in enumerate(checked):
        place = f"results.results[{index}]"
        label = _label(file, place, entry, labels)
        if prompts and label not in prompts:
            continue
        case = entry.get("testCase")
        key = numbers[_identity(case)]
        if len(providers) > 1:
            key = f"{key}@{_provider(entry)}"
        repeat = seen.get((label, key), 0)
        seen[(label, key)] = repeat + 1
        text = _input(case)
        success = entry.get("success")
        if not isinstance(success, bool):
            raise RunSetError(
                f"`success` must be true or false, not {shown(success)}",
                source=str(file),
                place=f"{place}.success",
            )
        digest = _vars_digest(case)
        table.add(f"{label}/pass", key, float(success), repeat=repeat, digest=digest, excerpt=text)
        named = entry.get("namedScores") or {}
        if not isinstance(named, dict):
            raise RunSetError(
                "`namedScores` must be an object", source=str(file), place=f"{place}.namedScores"
            )
        for score_name, value in named.items():
            score = number(file, f"{place}.namedScores.{score_name}", value)
            table.add(
                f"{label}/{score_name}", key, score, repeat=repeat, digest=digest, excerpt=text
            )
    if prompts and not seen:
        raise RunSetError(f"no results for the prompt {prompts[0]!r}", source=str(file))
    examples = table.examples()
    return Run(
        id=name,
        metrics={metric: mean_of(list(scores.scores)) for metric, scores in examples.items()},
        tags=_tags(document),
        start_time=_start(file, results.get("timestamp")),
        origin=str(file),
        examples=examples,
    )


def _entry(file: Path, index: int, entry: object) -> dict[str, object]:
    place = f"results.results[{index}]"
    if not isinstance(entry, dict):
        raise RunSetError("must be an object", source=str(file), place=place)
    test_index = entry.get("testIdx")
    if isinstance(test_index, bool) or not isinstance(test_index, int):
        raise RunSetError(
            f"`testIdx` must be a whole number, not {shown(test_index)}",
            source=str(file),
            place=f"{place}.testIdx",
        )
    return entry


def _vars_digest(case: object) -> str | None:
    """A digest of the test case's input (its ``vars``): the key is the case's number, so
    a case added or removed on one side shifts the numbers after it, and the digest is
    what tells those examples apart instead of pairing them wrongly."""
    if not isinstance(case, dict) or "vars" not in case:
        return None
    text = json.dumps(case["vars"], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _identity(case: object) -> str:
    return json.dumps(case, sort_keys=True, default=str)


def _case_keys(entries: list[dict[str, object]]) -> dict[str, str]:
    """Each test case's key: its ``description`` when every case has its own, else its
    number (the rank of its first ``testIdx``). A description stays with its case when
    cases are added or removed; a number shifts, and then the cases' ``vars`` digests
    tell the shifted examples apart, so they are counted, never paired wrongly."""
    first: dict[str, int] = {}
    described: dict[str, str] = {}
    for entry in entries:
        case = entry.get("testCase")
        identity, index = _identity(case), entry["testIdx"]
        assert isinstance(index, int)  # checked by _entry
        first[identity] = min(first.get(identity, index), index)
        description = case.get("description") if isinstance(case, dict) else None
        if isinstance(description, str) and description.strip():
            described[identity] = description.strip()
    if len(described) == len(first) and len(set(described.values())) == len(described):
        return described
    ranked = sorted(first, key=first.__getitem__)
    return {identity: str(rank) for rank, identity in enumerate(ranked)}


def _prompt_labels(file: Path, results: dict[str, object]) -> list[str]:
    found = results.get("prompts", [])
    if not isinstance(found, list):
        raise RunSetError("must be a list", source=str(file), place="results.prompts")
    return [
        str(prompt.get("label") or prompt.get("raw") or index)
        if isinstance(prompt, dict)
        else str(index)
        for index, prompt in enumerate(found)
    ]


def _label(file: Path, place: str, entry: dict[str, object], labels: list[str]) -> str:
    prompt = entry.get("prompt")
    if isinstance(prompt, dict) and isinstance(prompt.get("label"), str) and prompt["label"]:
        return str(prompt["label"])
    index = entry.get("promptIdx")
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(labels):
        return labels[index]
    raise RunSetError(
        "names no prompt (`prompt.label` or `promptIdx`)", source=str(file), place=place
    )


def _provider(entry: dict[str, object]) -> str:
    provider = entry.get("provider")
    if isinstance(provider, dict):
        return str(provider.get("label") or provider.get("id") or "")
    return str(provider or "")


def _input(case: object) -> str:
    """The test case's variables (or its description), for the report."""
    if not isinstance(case, dict):
        return ""
    variables = case.get("vars")
    if isinstance(variables, dict) and variables:
        return excerpt(", ".join(f"{key}={value}" for key, value in variables.items()))
    description = case.get("description")
    return excerpt(description) if isinstance(description, str) else ""


def _tags(document: dict[str, object]) -> dict[str, str]:
    tags = {}
    if isinstance(document.get("evalId"), str):
        tags["eval_id"] = str(document["evalId"])
    metadata = document.get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("promptfooVersion"), str):
        tags["promptfoo"] = metadata["promptfooVersion"]
    return tags


def _start(file: Path, moment: object) -> float | None:
    if moment is None:
        return None
    try:
        return start_time_value(moment, run_id=file.name)
    except RecordError as err:
        raise RunSetError(str(err), source=str(file), place="results.timestamp") from None
