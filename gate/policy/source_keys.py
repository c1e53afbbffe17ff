"""Validation of the keys that source mappings share: paths, ``where``, ``latest``, names.

Each function checks one value found at ``path`` of the policy and raises a
``PolicyError`` that names the file, the line and the key.
"""

from __future__ import annotations

from pathlib import Path

from gate.model import display_value, is_valid_field_path
from gate.policy.yamldoc import Path_, YamlDocument, only_keys

Where = tuple[tuple[str, tuple[str, ...]], ...]


def paths(doc: YamlDocument, path: Path_, value: object, base_dir: Path) -> tuple[Path, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise doc.error(path, f"must be a path or a non-empty list of paths, not {value!r}")
    return tuple(base_dir / str(item) for item in items)


def where(doc: YamlDocument, path: Path_, value: object) -> Where:
    if value is None:
        return ()
    if not isinstance(value, dict) or not value:
        raise doc.error(
            path, "must be a mapping of run fields to values, such as `{tags.branch: main}`"
        )
    selectors = []
    for field, wanted in value.items():
        if not is_valid_field_path(field):
            raise doc.error(
                (*path, field),
                f"unknown run field {field!r}; use id, start_time, "
                "params.NAME, tags.NAME or metrics.NAME",
            )
        options = wanted if isinstance(wanted, list) else [wanted]
        if not options or any(isinstance(option, (dict, list)) for option in options):
            raise doc.error((*path, field), "must be a value or a list of values")
        selectors.append((field, tuple(display_value(option) for option in options)))
    return tuple(selectors)


def count(
    doc: YamlDocument, path: Path_, value: object, *, what: str = "runs", most: int | None = None
) -> int | None:
    """A whole number from 1 (to ``most``), or None when the key is absent."""
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < 1
        or (most is not None and value > most)
    ):
        upper = "or more" if most is None else f"to {most}"
        raise doc.error(path, f"must be a whole number of {what}, 1 {upper}, not {value!r}")
    return value


def text(doc: YamlDocument, path: Path_, value: object, *, empty_ok: bool = False) -> str | None:
    """A string (stripped), or None when the key is absent."""
    if value is None:
        return None
    if not isinstance(value, str) or (not value.strip() and not empty_ok):
        raise doc.error(path, f"must be a non-empty string, not {value!r}")
    return value.strip()


def texts(doc: YamlDocument, path: Path_, value: object) -> tuple[str, ...]:
    """A string or a non-empty list of strings; () when the key is absent."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise doc.error(path, f"must be a name or a non-empty list of names, not {value!r}")
    return tuple(str(item).strip() for item in items)


def kind_spec(
    doc: YamlDocument, path: Path_, node: dict[str, object], kind: str, keys: tuple[str, ...]
) -> dict[str, object]:
    """The mapping under ``kind:``, where a bare string stands for ``{path: STRING}``."""
    only_keys(doc, path, node, (kind,))
    spec = node[kind]
    if isinstance(spec, (str, list)):
        return {"path": spec}
    if not isinstance(spec, dict):
        raise doc.error((*path, kind), "must be a path, a list of paths, or a mapping")
    only_keys(doc, (*path, kind), spec, keys)
    return spec
