"""MLflow's search filter and order, for the local stores (the server does its own).

Supported, exactly (anything else is refused with a message that says so):

- clauses joined by ``and`` (any case); no ``or``, no parentheses, as in MLflow;
- ``tags.NAME`` and ``params.NAME`` with ``=`` or ``!=`` and a quoted string;
- ``metrics.NAME`` with ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` and a number;
- ``attributes.status``, ``run_name``, ``run_id``, ``user_id`` with ``=`` or ``!=``
  and a quoted string; ``attributes.start_time``, ``end_time`` (epoch ms) with a
  comparison and a number; these also bare (``run_name = 'SVM'``), as MLflow allows;
- names quoted with backticks or double quotes (``tags.`my tag```), or bare
  with dots (``tags.mlflow.source.git.commit``); ``tag``, ``param``, ``metric``,
  ``attribute``, ``attr`` and ``run`` are accepted as in MLflow.

As in MLflow, a run that lacks the tag, param or metric of a clause never matches it, nor
does a run without a name match a clause on ``run_name`` (not even ``!= 'x'`` or ``= ''``).
``tests/sources/mlflow/test_filter_parity.py`` checks a table of filters against MLflow's
own search on stores MLflow wrote.
``order_by`` items are ``NAME [ASC|DESC]`` for the same names; runs without a
value sort last.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gate.errors import FilterError
from gate.sources.mlflow.runs import MlflowRecord

ENTITIES = {
    "tags": "tags",
    "tag": "tags",
    "params": "params",
    "param": "params",
    "parameters": "params",
    "parameter": "params",
    "metrics": "metrics",
    "metric": "metrics",
    "attributes": "attributes",
    "attribute": "attributes",
    "attr": "attributes",
    "run": "attributes",
}
TEXT_ATTRIBUTES = ("status", "run_name", "run_id", "user_id")
TIME_ATTRIBUTES = ("start_time", "end_time")
EQUALITY = ("=", "!=")
COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
SUPPORTED = (
    "supported in a local store: clauses joined by `and` of tags.X or params.X = or != 'text', "
    "metrics.X compared with a number, attributes.status/run_name/run_id/user_id = or != "
    "'text', attributes.start_time/end_time compared with a number"
)

_TOKEN = re.compile(
    r"""\s*(?:(?P<op>!=|<=|>=|=|<|>)|(?P<text>'[^']*'|"[^"]*")|(?P<name>`[^`]*`)"""
    r"""|(?P<word>[^\s'"`=!<>]+))"""
)


@dataclass(frozen=True)
class Clause:
    entity: str  # tags, params, metrics or attributes
    key: str
    op: str
    value: str | float

    def matches(self, record: MlflowRecord) -> bool:
        actual = _value(record, self.entity, self.key)
        if actual is None:
            return False
        return COMPARISONS[self.op](actual, self.value)


@dataclass(frozen=True)
class OrderKey:
    entity: str
    key: str
    descending: bool


def parse_filter(text: str) -> tuple[Clause, ...]:
    tokens = _tokens(text)
    clauses: list[Clause] = []
    while tokens:
        clauses.append(_clause(tokens))
        if tokens:
            kind, word = tokens.pop(0)
            if kind != "word" or word.lower() != "and":
                raise FilterError(f"expected `and` between clauses, found {word!r}; {SUPPORTED}")
    return tuple(clauses)


def parse_order_by(items: Sequence[str]) -> tuple[OrderKey, ...]:
    keys = []
    for item in items:
        tokens = _tokens(item)
        entity, key = _name(tokens)
        if entity != "attributes" and entity not in ("tags", "params", "metrics"):
            raise FilterError(f"cannot order by {item!r}")
        descending = False
        if tokens:
            _, direction = tokens.pop(0)
            if direction.upper() not in ("ASC", "DESC") or tokens:
                raise FilterError(f"an order_by item is `NAME [ASC|DESC]`, not {item!r}")
            descending = direction.upper() == "DESC"
        if entity == "attributes" and key not in (*TEXT_ATTRIBUTES, *TIME_ATTRIBUTES):
            raise FilterError(f"cannot order by attributes.{key} in a local store")
        keys.append(OrderKey(entity, key, descending))
    return tuple(keys)


def select_records(
    records: Sequence[MlflowRecord],
    clauses: Sequence[Clause],
    order: Sequence[OrderKey],
    latest: int | None,
) -> list[MlflowRecord]:
    """The records matching every clause, in ``order`` (ties by run id), the first ``latest``."""
    chosen = sorted((r for r in records if all(c.matches(r) for c in clauses)), key=_run_id)
    for key in reversed(order):
        present = [r for r in chosen if _value(r, key.entity, key.key) is not None]
        absent = [r for r in chosen if _value(r, key.entity, key.key) is None]
        present.sort(key=_sort_key(key), reverse=key.descending)
        chosen = present + absent
    return chosen if latest is None else chosen[:latest]


def _sort_key(key: OrderKey) -> Callable[[MlflowRecord], Any]:
    return lambda record: _value(record, key.entity, key.key)


def _run_id(record: MlflowRecord) -> str:
    return record.run_id


def _value(record: MlflowRecord, entity: str, key: str) -> str | float | None:
    if entity == "attributes":
        return record.attribute(key)
    found: str | float | None = getattr(record, entity).get(key)
    return found


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise FilterError(f"cannot read {text[position:]!r} (an unclosed quote?)")
        kind = match.lastgroup or "word"
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _name(tokens: list[tuple[str, str]]) -> tuple[str, str]:
    if tokens and tokens[0][0] == "word" and tokens[0][1] in (*TEXT_ATTRIBUTES, *TIME_ATTRIBUTES):
        return "attributes", tokens.pop(0)[1]  # MLflow reads a bare `run_name` as an attribute
    if not tokens or tokens[0][0] != "word" or "." not in tokens[0][1]:
        found = tokens[0][1] if tokens else "the end"
        raise FilterError(f"expected a name such as tags.branch, found {found!r}")
    entity, _, key = tokens.pop(0)[1].partition(".")
    if entity.lower() not in ENTITIES:
        raise FilterError(
            f"unknown kind of name {entity!r}; use tags, params, metrics or attributes"
        )
    if not key and tokens and tokens[0][0] in ("name", "text") and tokens[0][1][0] != "'":
        key = tokens.pop(0)[1][1:-1]
    if not key:
        raise FilterError(f"{entity}. needs a name after the dot")
    return ENTITIES[entity.lower()], key


def _clause(tokens: list[tuple[str, str]]) -> Clause:
    entity, key = _name(tokens)
    if not tokens or tokens[0][0] != "op":
        found = tokens[0][1] if tokens else "the end"
        raise FilterError(
            f"expected a comparison after {entity}.{key}, found {found!r}; {SUPPORTED}"
        )
    op = tokens.pop(0)[1]
    if not tokens or tokens[0][0] not in ("text", "word"):
        raise FilterError(f"expected a value after {entity}.{key} {op}")
    kind, raw = tokens.pop(0)
    numeric = entity == "metrics" or (entity == "attributes" and key in TIME_ATTRIBUTES)
    if entity == "attributes" and key not in (*TEXT_ATTRIBUTES, *TIME_ATTRIBUTES):
        raise FilterError(f"attributes.{key} is not {SUPPORTED}")
    if not numeric and (op not in EQUALITY or kind != "text"):
        raise FilterError(f"{entity}.{key} {op} {raw} is not {SUPPORTED}")
    if not numeric:
        return Clause(entity, key, op, raw[1:-1])
    try:
        number = float(raw[1:-1] if kind == "text" else raw)
    except ValueError:
        raise FilterError(f"{entity}.{key} compares with a number, not {raw}") from None
    return Clause(entity, key, op, number)
