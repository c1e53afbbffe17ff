"""A mapping of the policy, declared once: its keys, their parsers, their defaults.

A policy mapping (a metric's settings, an ``mlflow:`` source, a ``git:``
selection) is a frozen dataclass whose fields carry their parser::

    @dataclass(frozen=True)
    class GitSpec:
        commit: str = key(parse_text, help="head, merge-base, or a git revision")
        branch: str | None = key(parse_text, default=None)

``Table(GitSpec, example=...)`` reads such a mapping from the YAML document:
unknown keys are refused with a did-you-mean, each present key goes through
its parser (errors name the file, line and key), and a key without a default is
required. The dataclass is the one list of the keys, so the parser, the
defaults and the field types cannot drift apart. Fields without ``key()`` are
not policy keys; the caller supplies them (a metric's name, a source's folder).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from gate.policy.yamldoc import Path_, YamlDocument, only_keys

T = TypeVar("T")
Parser = Callable[[YamlDocument, Path_, object], Any]

_KEY = "rungate.policy.key"


@dataclass(frozen=True)
class Key:
    """One key of a mapping: its name, parser, whether it must be given, and what it means."""

    name: str
    parse: Parser
    required: bool
    help: str


def key(parse: Parser, *, default: Any = dataclasses.MISSING, help: str = "") -> Any:
    """A dataclass field that is a policy key; without ``default`` the key is required."""
    metadata = {_KEY: (parse, help)}
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


class Table(Generic[T]):
    """The keys of the dataclass ``cls``, read from a YAML mapping."""

    def __init__(self, cls: type[T], *, example: str) -> None:
        self.cls = cls
        self.example = example  # shown when the value is not a mapping at all
        self.keys: dict[str, Key] = {}
        for field in dataclasses.fields(cast(Any, cls)):
            if _KEY in field.metadata:
                parse, help_text = field.metadata[_KEY]
                required = (
                    field.default is dataclasses.MISSING
                    and field.default_factory is dataclasses.MISSING
                )
                self.keys[field.name] = Key(field.name, parse, required, help_text)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.keys)

    def read(
        self, doc: YamlDocument, path: Path_, node: object, *, also: tuple[str, ...] = ()
    ) -> dict[str, object]:
        """The parsed values of the keys ``node`` gives; ``also`` names keys that another
        reader of the same mapping takes (they are allowed, and left alone)."""
        if not isinstance(node, dict):
            raise doc.error(path, f"must be a mapping such as {self.example}")
        only_keys(doc, path, node, (*self.keys, *also))
        return {
            name: spec.parse(doc, (*path, name), node[name])
            for name, spec in self.keys.items()
            if name in node
        }

    def build(
        self, doc: YamlDocument, path: Path_, values: Mapping[str, object], **fixed: object
    ) -> T:
        """The dataclass of ``values`` (parsed keys) and ``fixed`` (its other fields)."""
        for spec in self.keys.values():
            if spec.required and spec.name not in values:
                raise doc.error(path, f"`{spec.name}` is required: {spec.help}")
        return cast(Callable[..., T], self.cls)(**fixed, **values)

    def parse(self, doc: YamlDocument, path: Path_, node: object, **fixed: object) -> T:
        return self.build(doc, path, self.read(doc, path, node), **fixed)
