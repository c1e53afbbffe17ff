"""Safe YAML loading that remembers the line of every key.

PyYAML's safe loader builds plain data but forgets where each value was.
Error messages must name the line, so this walks the node tree itself,
recording the line of every mapping key and sequence item, and builds plain
Python data (dicts, lists, scalars) with PyYAML's safe constructors only.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from gate.errors import PolicyError

Path_ = tuple[str | int, ...]
if TYPE_CHECKING:  # CSafeLoader exists only where PyYAML was built with libyaml
    Loader = yaml.SafeLoader | yaml.CSafeLoader

_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


@dataclass(frozen=True)
class YamlDocument:
    """Plain data from one YAML file, plus the line of every key path in it."""

    data: object
    source: str
    lines: dict[Path_, int] = field(default_factory=dict)
    folder: Path = Path()  # relative paths in the document are relative to this folder

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None

    def expanded(self, path: Path_, text: str) -> str:
        """``text`` with its ``${NAME}`` replaced by the environment's values. Only
        configuration goes through this (paths, addresses, filters), never text that
        reports show as it is, so no variable's value (a token) can reach a report."""
        if "$" not in text:
            return text
        line = self.line_of(path)
        return expand_environment(
            text, source=f"{self.source}:{line}" if line else self.source, path=path
        )

    def error(self, path: Path_, message: str) -> PolicyError:
        """A PolicyError that names the file, the line, and the dotted key."""
        line = self.line_of(path)
        source = f"{self.source}:{line}" if line is not None else self.source
        return PolicyError(message, source=source, place=dotted(path) or None)


def dotted(path: Path_) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(
        "."
    )


def only_keys(
    doc: YamlDocument, path: Path_, node: dict[str, object], allowed: tuple[str, ...]
) -> None:
    """Refuse a key of ``node`` that is not ``allowed``, suggesting the closest one."""
    for key in node:
        if key not in allowed:
            raise doc.error(
                (*path, key),
                f"unknown key {key!r}{did_you_mean(key, allowed)}; "
                f"allowed here: {', '.join(allowed)}",
            )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a close choice exists, else an empty string."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


MAX_VALUES = 100_000  # far past any real policy; stops an alias "bomb" early
MAX_DEPTH = 50


def load_yaml(text: str, source: str, folder: Path | None = None) -> YamlDocument:
    """Parse one YAML document safely; any problem is a PolicyError with its line.

    ``folder`` is what relative paths in it are relative to: by default, the
    folder of the file ``source`` names. Aliases may not expand the document past
    ``MAX_VALUES`` values, nor may it nest deeper than ``MAX_DEPTH``.
    """
    folder = Path(source).parent if folder is None else folder
    # libyaml reads a 5,000-metric policy in a fraction of pure Python's time; any problem
    # is read again by the Python loader, whose messages (and refusals) are the ones shown.
    if hasattr(yaml, "CSafeLoader") and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            data, lines = _parsed(yaml.CSafeLoader(text), source)
            return YamlDocument(data=data, source=source, lines=lines, folder=folder)
        except (yaml.YAMLError, PolicyError, RecursionError):
            pass
    try:
        data, lines = _parsed(yaml.SafeLoader(text), source)  # refuses NUL and the like
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        raise PolicyError(f"not valid YAML: {problem}", source=where) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, such as NUL
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise PolicyError(
            f"not valid YAML: the character U+{code:04X} is not allowed", source=f"{source}:{line}"
        ) from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"not valid YAML: {' '.join(str(exc).split())}", source=source) from exc
    except RecursionError:
        raise PolicyError(
            f"not valid YAML: nested deeper than {MAX_DEPTH} levels", source=source
        ) from None
    return YamlDocument(data=data, source=source, lines=lines, folder=folder)


def _parsed(loader: Loader, source: str) -> tuple[object, dict[Path_, int]]:
    try:
        node = loader.get_single_node()
        lines: dict[Path_, int] = {} if node is None else {(): node.start_mark.line + 1}
        data = None if node is None else _Builder(loader, lines, source).build(node, ())
        return data, lines
    finally:
        loader.dispose()


class _Builder:
    """Builds plain data from the node tree, noting each key's line, within the bounds."""

    def __init__(self, loader: Loader, lines: dict[Path_, int], source: str) -> None:
        self.loader = loader
        self.lines = lines
        self.source = source
        self.values = 0

    def error(self, node: yaml.Node, message: str, path: Path_) -> PolicyError:
        place = dotted(path)
        place = place if len(place) <= 80 else f"{place[:77]}..."
        return PolicyError(
            message, source=f"{self.source}:{node.start_mark.line + 1}", place=place or None
        )

    def build(self, node: yaml.Node, path: Path_) -> object:
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.error(node, f"more than {MAX_VALUES:,} values (aliases expanding?)", path)
        if len(path) > MAX_DEPTH:
            raise self.error(node, f"nested deeper than {MAX_DEPTH} levels", path)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
            # The safe constructors would refuse these too; collections are built here.
            raise self.error(node, f"unsupported YAML tag {node.tag!r}", path)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items: list[object] = []
            for index, item_node in enumerate(node.value):
                item_path = (*path, index)
                self.lines[item_path] = item_node.start_mark.line + 1
                items.append(self.build(item_node, item_path))
            return items
        try:
            # Safe constructors only: an unknown tag such as !!python/object is refused here.
            value = self.loader.construct_object(node, deep=True)
        except ValueError as exc:  # an integer of thousands of digits, say
            reason = str(exc).split(";")[0]  # Python's advice after ";" is not for policy authors
            raise self.error(node, f"cannot read this value: {reason}", path) from None
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, object]:
        self.loader.flatten_mapping(node)  # resolves `<<` merge keys
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            # Keys keep their literal text: a metric named `on` or `1` stays a string.
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, "mapping keys must be plain names", path)
            key = str(key_node.value)
            key_path = (*path, key)
            if key in result:
                raise self.error(key_node, f"duplicate key {key!r}", key_path)
            self.lines[key_path] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, key_path)
        return result


_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def expand_environment(text: str, *, source: str, path: Path_) -> str:
    """Replace ``${NAME}`` (or ``${NAME:-default}``) with the environment's value.

    ``$$`` stands for a literal ``$``. An unset variable without a default is an
    error that names it: a filter silently matching nothing would be worse.
    """

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, default = match.group(1), match.group(2)
        value = os.environ.get(name)
        if value is None or (value == "" and default is not None):
            if default is None:
                raise PolicyError(
                    f"environment variable {name} is not set (write ${{{name}:-default}} "
                    "to give a default)",
                    source=source,
                    place=dotted(path) or None,
                )
            return default
        return value

    return _VARIABLE.sub(replace, text)
