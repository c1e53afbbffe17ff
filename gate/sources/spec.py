"""Turn the policy's `candidate:` / `baseline:` entries into run sources.

An entry is a path, a list of paths, or a mapping. The mapping's kind key
says which source it is (``path:`` for files; tracking servers add theirs);
the other keys select runs inside the larger set.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gate.model import display_value, is_valid_field_path
from gate.sources import RunSource
from gate.sources.git import SubprocessGit
from gate.sources.git_select import GitSelectedSource, Narrowable, parse_git_choice
from gate.sources.local import FileSource
from gate.sources.mlflow_spec import parse_mlflow_source
from gate.yamldoc import Path_, YamlDocument, did_you_mean

SourceParser = Callable[[YamlDocument, Path_, dict[str, object], Path], RunSource]

FILE_KEYS = ("path", "where", "latest")


def parse_source(doc: YamlDocument, path: Path_, node: object, base_dir: Path) -> RunSource:
    """Validate the source entry ``node`` found at ``path`` of the policy.

    Relative paths are relative to ``base_dir``, the policy's folder.
    """
    if isinstance(node, (str, list)):
        return FileSource(_paths(doc, path, node, base_dir))
    if not isinstance(node, dict):
        raise doc.error(
            path,
            "must be a path, a list of paths, or a mapping such as "
            "`{path: runs/, where: {tags.branch: main}, latest: 5}`",
        )
    rest = {key: value for key, value in node.items() if key != "git"}
    kind = next((kind for kind in SOURCE_KINDS if kind in rest), None)
    if kind is None:
        raise doc.error(path, f"a source mapping needs one of the keys {', '.join(SOURCE_KINDS)}")
    source = SOURCE_KINDS[kind](doc, path, rest, base_dir)
    if "git" not in node:
        return source
    choice = parse_git_choice(doc, (*path, "git"), node["git"])
    if not isinstance(source, Narrowable):
        raise doc.error((*path, "git"), f"git-aware selection does not work with `{kind}:` sources")
    return GitSelectedSource(source, choice, SubprocessGit(base_dir))


def _file_source(
    doc: YamlDocument, path: Path_, node: dict[str, object], base_dir: Path
) -> RunSource:
    for key in node:
        if key not in FILE_KEYS:
            raise doc.error(
                (*path, key),
                f"unknown key {key!r}{did_you_mean(key, FILE_KEYS)}; "
                f"allowed here: {', '.join(FILE_KEYS)}",
            )
    latest = node.get("latest")
    if latest is not None and (
        not isinstance(latest, int) or isinstance(latest, bool) or latest < 1
    ):
        raise doc.error(
            (*path, "latest"), f"must be a whole number of runs, 1 or more, not {latest!r}"
        )
    return FileSource(
        _paths(doc, (*path, "path"), node["path"], base_dir),
        where=_where(doc, (*path, "where"), node.get("where")),
        latest=latest,
    )


SOURCE_KINDS: dict[str, SourceParser] = {
    "path": _file_source,
    "mlflow": parse_mlflow_source,
}


def _paths(doc: YamlDocument, path: Path_, value: object, base_dir: Path) -> tuple[Path, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise doc.error(path, f"must be a path or a non-empty list of paths, not {value!r}")
    return tuple(base_dir / str(item) for item in items)


def _where(
    doc: YamlDocument, path: Path_, value: object
) -> tuple[tuple[str, tuple[str, ...]], ...]:
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
