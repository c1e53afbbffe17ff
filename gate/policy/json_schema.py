"""A JSON Schema of the policy, made from the same key tables the parser reads.

Editors that speak the YAML language server complete and check a policy with it
(``# yaml-language-server: $schema=...``). It is generated, never written by hand:
every key, its default and its description come from the dataclasses of
``gate.policy`` and their ``key()`` fields, so the schema and the parser cannot
drift apart (a test also checks the published file is this function's output).
The parser stays the judge: a few rules (a paired test needs ``pair_by``) are
checked only there.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from gate.policy import POLICY, SUPPORTED_VERSIONS, recorded, values
from gate.policy.eval_specs import EVAL_TABLES
from gate.policy.metrics import METRIC
from gate.policy.pairing_keys import MOST_SHOWN, shown_examples, unmatched_limit
from gate.policy.recorded import GIT_STORE, HISTORY, MLFLOW_STORE
from gate.policy.shift_settings import SHIFTS, min_commits, shift_p
from gate.policy.sources import BENCHMARK, DVC, FILES, GIT, KINDS, MLFLOW, WANDB
from gate.policy.table import Table
from gate.vocabulary import Word

Schema = dict[str, Any]

SCHEMA_ID = "https://rungate.dev/schema/policy.json"
_NUMBER: Schema = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*[-+0-9.eE]+\s*$"}]
}
_TEXT: Schema = {"type": "string", "minLength": 1}
_TEXTS: Schema = {"anyOf": [_TEXT, {"type": "array", "items": _TEXT, "minItems": 1}]}
_FIELD: Schema = {"type": "string", "pattern": r"^(id|start_time|(params|tags|metrics)\..+)$"}
_COUNT: Schema = {"type": "integer", "minimum": 1}

_FRAGMENTS: dict[object, Schema] = {
    values.number: _NUMBER,
    values.alpha: {"type": "number", "exclusiveMinimum": 0, "maximum": 0.5},
    values.tolerance: {
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": r"^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*%?\s*$"},
        ]
    },
    values.resamples: {"type": "integer", "minimum": 100, "maximum": 1_000_000},
    values.pair_by: {"anyOf": [{"const": "example"}, _FIELD]},
    values.aggregate: {"type": "string", "pattern": r"^(last|min|max|mean|mean_last_[1-9][0-9]*)$"},
    values.field_list: {"anyOf": [_FIELD, {"type": "array", "items": _FIELD}]},
    values.run_field: _FIELD,
    values.count: _COUNT,
    values.page_size: {"type": "integer", "minimum": 1, "maximum": 50_000},
    values.text: _TEXT,
    values.text_or_empty: {"type": "string"},
    values.flag: {"type": "boolean"},
    values.texts: _TEXTS,
    values.paths: _TEXTS,
    values.where: {
        "type": "object",
        "minProperties": 1,
        "propertyNames": _FIELD,
        "additionalProperties": {
            "anyOf": [
                {"type": ["string", "number", "boolean", "null"]},
                {"type": "array", "items": {"type": ["string", "number", "boolean", "null"]}},
            ]
        },
    },
}


_FRAGMENTS[unmatched_limit] = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*%\s*$"},
    ]
}
_FRAGMENTS[shown_examples] = {"type": "integer", "minimum": 0, "maximum": MOST_SHOWN}
_FRAGMENTS[POLICY.keys["version"].parse] = {"enum": list(SUPPORTED_VERSIONS)}
_FRAGMENTS[recorded.window_size] = _COUNT
_FRAGMENTS[recorded.commits_behind] = _FRAGMENTS[recorded.days_behind] = {
    "type": "integer",
    "minimum": 0,
}
_FRAGMENTS[shift_p] = {"type": "number", "exclusiveMinimum": 0, "maximum": 0.1}
_FRAGMENTS[min_commits] = {"type": "integer", "minimum": 2, "maximum": 100}


SIDES = ("candidate", "baseline")


def policy_schema() -> Schema:
    metric = _mapping(METRIC, required=True)
    defaults = _mapping(METRIC, required=False)["properties"]
    top = _mapping(
        POLICY,
        required=False,
        extra={
            "metrics": {
                "type": "object",
                "minProperties": 1,
                "description": "The metrics that gate: name -> settings (`direction` is "
                "required, except beside an lm_eval: source).",
                "additionalProperties": {"anyOf": [metric, {"type": "null"}]},
            }
        },
    )
    top["properties"] = {**defaults, **top["properties"]}
    top["properties"]["candidate"] = top["properties"]["baseline"] = _source()
    top["properties"]["history"] = _store()
    top["properties"]["shifts"] = {
        **_mapping(SHIFTS, required=False),
        "description": "How shifts (change points) in main's recorded history are found.",
    }
    top["required"] = ["metrics"]
    # `direction` may be left to the logs only beside an lm_eval: side (higher_is_better).
    lm_eval = {"type": "object", "required": ["lm_eval"]}
    top["if"] = {"anyOf": [{"properties": {side: lm_eval}, "required": [side]} for side in SIDES]}
    directed = {"anyOf": [{"type": "object", "required": ["direction"]}, {"type": "null"}]}
    top["else"] = {"properties": {"metrics": {"additionalProperties": directed}}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "rungate policy",
        "description": "A rungate policy: which metrics gate, which way is better, how sure the "
        "gate must be, and where each side's runs come from. See the README.",
        **top,
    }


def _source() -> Schema:
    """``candidate:`` / ``baseline:``: a path, a list of paths, or a mapping of one kind."""
    git = _mapping(GIT, required=True)
    tables: dict[str, Table[Any]] = {
        "path": FILES,
        "mlflow": MLFLOW,
        "dvc": DVC,
        "pytest_benchmark": BENCHMARK,
        "wandb_csv": WANDB,
        "history": HISTORY,
        **EVAL_TABLES,
    }
    assert set(tables) == set(KINDS), "every source kind has a table here"
    kinds: list[Schema] = []
    for kind, table in tables.items():
        if kind == "path":
            files = _mapping(FILES, required=True)
            files["properties"]["git"] = git
            kinds.append(files)
            continue
        inner = _mapping(table, required=False)
        if kind in ("pytest_benchmark", "wandb_csv", *EVAL_TABLES):
            inner = {"anyOf": [_TEXTS, inner]}
        beside = {} if kind == "history" else {"git": git}  # history chooses its own commit
        kinds.append(
            {
                "type": "object",
                "properties": {kind: inner, **beside},
                "required": [kind],
                "additionalProperties": False,
            }
        )
    return {"anyOf": [_TEXTS, *kinds], "description": "Where this side's runs come from."}


def _store() -> Schema:
    """The top-level ``history:``: exactly one store."""
    stores: dict[str, Schema] = {
        "git": {"anyOf": [_mapping(GIT_STORE, required=False), {"type": "null"}]},
        "path": _TEXT,
        "mlflow": _mapping(MLFLOW_STORE, required=True),
    }
    return {
        "description": "Where main's runs are recorded (`rungate record`); see docs/history.md.",
        "oneOf": [
            {
                "type": "object",
                "properties": {kind: schema},
                "required": [kind],
                "additionalProperties": False,
            }
            for kind, schema in stores.items()
        ],
    }


def _mapping(table: Table[Any], *, required: bool, extra: Schema | None = None) -> Schema:
    defaults = {field.name: field.default for field in dataclasses.fields(table.cls)}
    properties: Schema = {}
    for name, key in table.keys.items():
        fragment = dict(_fragment(key.parse))
        if key.help:
            fragment["description"] = key.help
        default = defaults.get(name, dataclasses.MISSING)
        if isinstance(default, (str, int, float, bool)) and default is not None:
            fragment["default"] = str(default) if isinstance(default, Word) else default
        properties[name] = fragment
    properties.update(extra or {})
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    must = [name for name, key in table.keys.items() if key.required]
    if required and must:
        schema["required"] = must
    return schema


def _fragment(parse: object) -> Schema:
    if parse in values.WRAPPED_BY:
        return _fragment(values.WRAPPED_BY[parse])
    if parse in values.CHOICES_OF:
        return {"enum": list(values.CHOICES_OF[parse])}
    if parse in _FRAGMENTS:
        return _FRAGMENTS[parse]
    return {}  # a parser of its own (a version, an order): the parser alone checks it
