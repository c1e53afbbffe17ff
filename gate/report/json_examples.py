"""The ``examples`` object of a metric in the JSON report (docs/json.md): the evidence of
a metric paired by example key, written out whole and read back checked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from gate.result import ExampleChange, ExampleEvidence, Unmatched

T = TypeVar("T")
Json = dict[str, object]
UNMATCHED_KINDS = ("only_candidate", "only_baseline", "duplicated", "hash_mismatch")


def examples_json(evidence: ExampleEvidence | None) -> Json | None:
    if evidence is None:
        return None
    return {
        "examples": evidence.examples,
        "worse": evidence.worse,
        "better": evidence.better,
        "unchanged": evidence.unchanged,
        "binary": evidence.binary,
        "candidate": {"runs": evidence.candidate_runs, "repeats": evidence.candidate_repeats},
        "baseline": {"runs": evidence.baseline_runs, "repeats": evidence.baseline_repeats},
        "total": evidence.total,
        "excluded": evidence.excluded,
        "unmatched": {
            kind: {"count": unmatched.count, "first": list(unmatched.first)}
            for kind, unmatched in zip(UNMATCHED_KINDS, _unmatched(evidence), strict=True)
        },
        "shown": evidence.shown,
        "changes": [
            {
                "key": change.key,
                "baseline": change.baseline,
                "candidate": change.candidate,
                "excerpt": change.excerpt,
            }
            for change in evidence.changes
        ],
    }


def _unmatched(evidence: ExampleEvidence) -> tuple[Unmatched, ...]:
    return (
        evidence.only_candidate,
        evidence.only_baseline,
        evidence.duplicated,
        evidence.hash_mismatch,
    )


class Reader(Protocol):
    """The checks of ``gate.report.json_read`` this module uses."""

    def error(self, place: str, message: str) -> Exception: ...
    def key(self, mapping: Json, key: str, at: str, kind: Callable[[object, str], T]) -> T: ...
    def mapping(self, value: object, place: str) -> Json: ...
    def array(self, value: object, place: str) -> list[object]: ...
    def string(self, value: object, place: str) -> str: ...
    def strings(self, value: object, place: str) -> tuple[str, ...]: ...
    def boolean(self, value: object, place: str) -> bool: ...
    def count(self, value: object, place: str) -> int: ...
    def number(self, value: object, place: str) -> float: ...


def read_examples(reader: Reader, value: object, at: str) -> ExampleEvidence | None:
    """The evidence at ``at`` (absent or null: a metric not paired by example key)."""
    if value is None:
        return None
    fields = reader.mapping(value, at)

    def count(name: str) -> int:
        return reader.key(fields, name, at, reader.count)

    sides = {
        side: reader.key(fields, side, at, reader.mapping) for side in ("candidate", "baseline")
    }
    unmatched = reader.key(fields, "unmatched", at, reader.mapping)
    kinds = []
    for kind in UNMATCHED_KINDS:
        place = f"{at}.unmatched"
        found = reader.key(unmatched, kind, place, reader.mapping)
        kinds.append(
            Unmatched(
                reader.key(found, "count", f"{place}.{kind}", reader.count),
                reader.key(found, "first", f"{place}.{kind}", reader.strings),
            )
        )
    changes = tuple(
        _change(reader, item, f"{at}.changes[{i}]")
        for i, item in enumerate(reader.key(fields, "changes", at, reader.array))
    )
    evidence = ExampleEvidence(
        examples=count("examples"),
        worse=count("worse"),
        better=count("better"),
        binary=reader.key(fields, "binary", at, reader.boolean),
        candidate_runs=reader.key(sides["candidate"], "runs", f"{at}.candidate", reader.count),
        baseline_runs=reader.key(sides["baseline"], "runs", f"{at}.baseline", reader.count),
        candidate_repeats=reader.key(
            sides["candidate"], "repeats", f"{at}.candidate", reader.count
        ),
        baseline_repeats=reader.key(sides["baseline"], "repeats", f"{at}.baseline", reader.count),
        total=count("total"),
        only_candidate=kinds[0],
        only_baseline=kinds[1],
        duplicated=kinds[2],
        hash_mismatch=kinds[3],
        excluded=count("excluded"),
        changed_keys=tuple(change.key for change in changes),
        changed_baseline=tuple(change.baseline for change in changes),
        changed_candidate=tuple(change.candidate for change in changes),
        changed_excerpts=tuple(change.excerpt for change in changes),
        shown=count("shown"),
    )
    if evidence.worse + evidence.better > evidence.examples:
        raise reader.error(f"{at}.worse", "worse and better add up to more than examples")
    if len(changes) != evidence.worse + evidence.better:
        raise reader.error(
            f"{at}.changes",
            f"lists {len(changes)} examples, but worse and better add up to "
            f"{evidence.worse + evidence.better}",
        )
    return evidence


def _change(reader: Reader, item: object, at: str) -> ExampleChange:
    fields = reader.mapping(item, at)
    excerpt = fields.get("excerpt")
    return ExampleChange(
        key=reader.key(fields, "key", at, reader.string),
        baseline=reader.key(fields, "baseline", at, reader.number),
        candidate=reader.key(fields, "candidate", at, reader.number),
        excerpt=None if excerpt is None else reader.string(excerpt, f"{at}.excerpt"),
    )
