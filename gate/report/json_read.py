"""Reading a JSON report (``rungate check --json``) back into a ``GateResult``.

``rungate comment`` posts a report that another workflow wrote, perhaps for a
fork's pull request: a file anyone could have edited. So every key is checked
against docs/json.md, the verdict and the counts must agree with the metrics, and
the result is then rendered like any other, each string escaped on the way. A
problem is a ``UsageError`` that names the file and the key, never a traceback.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from enum import Enum
from typing import TypeVar

from gate.errors import UsageError
from gate.report.json_examples import read_examples
from gate.report.json_report import SCHEMA_VERSION
from gate.report.pictures.picture_json import read_picture
from gate.result import GateResult, MetricResult, ParamDifference, SideSummary, Verdict
from gate.vocabulary import Correction, Direction, Mode, TestName

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
Json = dict[str, object]
Kind = Callable[[object, str], T]  # checks a value found at a place; returns it typed
GATE_VERDICTS = ("pass", "fail")


def read_json_report(text: str, *, source: str) -> GateResult:
    """The result a JSON report holds; ``source`` names the file in error messages."""
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        place = f"line {exc.lineno}, column {exc.colno}"
        raise UsageError(f"not valid JSON: {exc.msg}", source=source, place=place) from exc
    except (ValueError, RecursionError) as exc:  # NaN, a number too long, nesting too deep
        raise UsageError(f"not valid JSON: {exc}", source=source) from exc
    return _Reader(source).result(document)


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _shown(value: object) -> str:
    """A value for an error message: one short line, whatever the file holds."""
    kinds = {dict: "an object", list: "an array", bool: "a boolean", type(None): "null"}
    if type(value) in kinds:
        return kinds[type(value)]
    text = json.dumps(value[:40] if isinstance(value, str) else value)
    return text if len(text) <= 40 else text[:39] + "…"


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, place: str, message: str) -> UsageError:
        return UsageError(message, source=self.source, place=place or None)

    def key(self, mapping: Json, key: str, at: str, kind: Kind[T]) -> T:
        place = f"{at}.{key}" if at else key
        if key not in mapping:
            raise self.error(place, "missing")
        return kind(mapping[key], place)

    def result(self, document: object) -> GateResult:
        top = self.mapping(document, "")
        version = self.key(top, "schema_version", "", self.count)
        if version != SCHEMA_VERSION:
            raise self.error(
                "schema_version", f"is {version}; this rungate reads version {SCHEMA_VERSION}"
            )
        self.key(top, "rungate_version", "", self.string)
        alpha = self.key(top, "alpha", "", self.number)
        sides = {side: self.key(top, side, "", self.mapping) for side in ("candidate", "baseline")}
        items = self.key(top, "metrics", "", self.array)
        differences = self.key(top, "param_differences", "", self.array)
        commits = self.strings(top.get("history_commits", []), "history_commits")
        result = GateResult(
            metrics=tuple(
                self.metric(item, f"metrics[{i}]", alpha, commits) for i, item in enumerate(items)
            ),
            alpha=alpha,
            candidate=self.key(sides["candidate"], "description", "candidate", self.string),
            baseline=self.key(sides["baseline"], "description", "baseline", self.string),
            candidate_runs=self.key(sides["candidate"], "runs", "candidate", self.count),
            baseline_runs=self.key(sides["baseline"], "runs", "baseline", self.count),
            run_word=self.string(top.get("run_word", "run"), "run_word"),
            param_differences=tuple(
                self.param_difference(item, f"param_differences[{i}]")
                for i, item in enumerate(differences)
            ),
            notes=self.key(top, "notes", "", self.strings),
            correction=self.key(top, "correction", "", self.word(Correction)),
        )
        self.check_totals(top, result)
        return result

    def check_totals(self, top: Json, result: GateResult) -> None:
        """The verdict and the counts must be the metrics', so a headline cannot lie."""
        verdict = self.key(top, "verdict", "", self.string)
        if verdict not in GATE_VERDICTS:
            raise self.error("verdict", f'expected "pass" or "fail", got {_shown(verdict)}')
        if verdict != result.verdict:
            failing = sum(1 for metric in result.metrics if metric.fails_gate)
            raise self.error("verdict", f'is "{verdict}", but {failing} metrics fail the gate')
        counts = self.key(top, "counts", "", self.mapping)
        for verdict_kind in Verdict:
            said = self.key(counts, verdict_kind.value, "counts", self.count)
            if said != result.count(verdict_kind):
                raise self.error(
                    f"counts.{verdict_kind.value}",
                    f"is {said}, but {result.count(verdict_kind)} metrics have that verdict",
                )

    def metric(
        self, item: object, at: str, alpha: float, commits: tuple[str, ...] = ()
    ) -> MetricResult:
        fields = self.mapping(item, at)

        def key(name: str, kind: Kind[T]) -> T:
            return self.key(fields, name, at, kind)

        verdict = key("verdict", self.word(Verdict))
        fails_gate = key("fails_gate", self.boolean)
        if verdict.fails_gate and not fails_gate:
            raise self.error(f"{at}.fails_gate", f"is false, but a {verdict.value} fails the gate")
        paired_by = key("paired_by", self.optional(self.string))
        test = key("test", self.optional(self.word(TestName)))
        pairs = key("pairs", self.optional(self.count))
        if paired_by is not None and pairs is None:
            raise self.error(f"{at}.paired_by", "is set, but pairs is null")
        number = self.optional(self.number)
        return MetricResult(
            name=key("name", self.string),
            direction=key("direction", self.word(Direction)),
            verdict=verdict,
            baseline=self.side(key("baseline", self.mapping), f"{at}.baseline"),
            candidate=self.side(key("candidate", self.mapping), f"{at}.candidate"),
            alpha=alpha,
            mode=key("mode", self.word(Mode)),
            fails_gate=fails_gate,
            test=test,
            paired_by=paired_by,
            pairs=pairs,
            delta=key("delta", number),
            delta_pct=key("delta_pct", number),
            ci_low=key("ci_low", number),
            ci_high=key("ci_high", number),
            ci_level=key("ci_level", number),
            # Added after the first reports were written: absent means not named.
            estimate=number(fields.get("estimate"), f"{at}.estimate"),
            estimate_name=self.optional(self.string)(
                fields.get("estimate_name"), f"{at}.estimate_name"
            ),
            unit=self.optional(self.string)(fields.get("unit"), f"{at}.unit"),
            p_value=key("p_value", number),
            p_improvement=key("p_improvement", number),
            p_noninferior=key("p_noninferior", number),
            p_adjusted=key("p_adjusted", number),
            p_improvement_adjusted=key("p_improvement_adjusted", number),
            p_noninferior_adjusted=key("p_noninferior_adjusted", number),
            correction=key("correction", self.word(Correction)),
            detectable_drop=key("detectable_drop", number),
            runs_needed=key("runs_needed", self.optional(self.count)),
            tolerance=key("tolerance", number),
            tolerance_spec=key("tolerance_spec", self.optional(self.string)),
            at_least=key("at_least", number),
            at_most=key("at_most", number),
            reasons=key("reasons", self.strings),
            notes=key("notes", self.strings),
            examples=read_examples(self, fields.get("examples"), f"{at}.examples"),
            picture=read_picture(self, fields.get("picture"), f"{at}.picture", commits),
        )

    def side(self, fields: Json, at: str) -> SideSummary:
        return SideSummary(
            n=self.key(fields, "n", at, self.count),
            mean=self.key(fields, "mean", at, self.optional(self.number)),
            sd=self.key(fields, "sd", at, self.optional(self.number)),
            non_finite=self.key(fields, "non_finite", at, self.count),
        )

    def param_difference(self, item: object, at: str) -> ParamDifference:
        fields = self.mapping(item, at)
        return ParamDifference(
            name=self.key(fields, "name", at, self.string),
            baseline=self.key(fields, "baseline", at, self.strings),
            candidate=self.key(fields, "candidate", at, self.strings),
        )

    # Kinds: each checks one value at a place and returns it with its type.

    def mapping(self, value: object, place: str) -> Json:
        if not isinstance(value, dict):
            raise self.error(place, f"expected an object, got {_shown(value)}")
        return value

    def array(self, value: object, place: str) -> list[object]:
        if not isinstance(value, list):
            raise self.error(place, f"expected an array, got {_shown(value)}")
        return value

    def string(self, value: object, place: str) -> str:
        if not isinstance(value, str):
            raise self.error(place, f"expected a string, got {_shown(value)}")
        return value

    def strings(self, value: object, place: str) -> tuple[str, ...]:
        return tuple(
            self.string(item, f"{place}[{i}]") for i, item in enumerate(self.array(value, place))
        )

    def boolean(self, value: object, place: str) -> bool:
        if not isinstance(value, bool):
            raise self.error(place, f"expected true or false, got {_shown(value)}")
        return value

    def count(self, value: object, place: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(place, f"expected a whole number >= 0, got {_shown(value)}")
        return value

    def number(self, value: object, place: str) -> float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
            if math.isfinite(number):
                return number
            raise self.error(place, f"expected a finite number, got {number}")
        raise self.error(place, f"expected a finite number, got {_shown(value)}")

    def word(self, vocabulary: type[E]) -> Kind[E]:
        """One of the words of ``vocabulary`` (an enum of strings)."""

        def kind(value: object, place: str) -> E:
            for member in vocabulary:
                if member.value == value:
                    return member
            words = ", ".join(json.dumps(member.value) for member in vocabulary)
            raise self.error(place, f"expected one of {words}, got {_shown(value)}")

        return kind

    def optional(self, kind: Kind[T]) -> Kind[T | None]:
        """``kind``, or null for a value that was not computed or does not apply."""

        def maybe(value: object, place: str) -> T | None:
            return None if value is None else kind(value, place)

        return maybe
