"""Turn the policy's `candidate:` / `baseline:` entries into run sources.

An entry is a path, a list of paths, or a mapping. The mapping's kind key
says which source it is (``path:`` for run files, ``mlflow:``, ``dvc:``,
``pytest_benchmark:``, ``wandb_csv:``); ``git:`` beside it narrows the runs
to one commit (see ``gate.sources.git.select``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from gate.policy import source_keys as keys
from gate.policy.yamldoc import Path_, YamlDocument, only_keys
from gate.sources import RunSource
from gate.sources.files.source import FileSource
from gate.sources.git.repo import SubprocessGit
from gate.sources.git.select import GitSelectedSource, Narrowable, parse_git_choice

SourceParser = Callable[[YamlDocument, Path_, dict[str, object], Path], RunSource]

FILE_KEYS = ("path", "where", "latest")


def parse_source(doc: YamlDocument, path: Path_, node: object, base_dir: Path) -> RunSource:
    """Validate the source entry ``node`` found at ``path`` of the policy.

    Relative paths are relative to ``base_dir``, the policy's folder.
    """
    if isinstance(node, (str, list)):
        return FileSource(keys.paths(doc, path, node, base_dir))
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
    only_keys(doc, path, node, FILE_KEYS)
    return FileSource(
        keys.paths(doc, (*path, "path"), node["path"], base_dir),
        where=keys.where(doc, (*path, "where"), node.get("where")),
        latest=keys.count(doc, (*path, "latest"), node.get("latest")),
    )


def _imported_when_used(module: str, name: str) -> SourceParser:
    """A kind's parser, imported only when a policy uses that kind (requests costs start-up)."""

    def parse(doc: YamlDocument, path: Path_, node: dict[str, object], base_dir: Path) -> RunSource:
        parser: SourceParser = getattr(importlib.import_module(module), name)
        return parser(doc, path, node, base_dir)

    return parse


SOURCE_KINDS: dict[str, SourceParser] = {
    "path": _file_source,
    "mlflow": _imported_when_used("gate.sources.mlflow.spec", "parse_mlflow_source"),
    "dvc": _imported_when_used("gate.sources.dvc.metrics", "parse_dvc_source"),
    "pytest_benchmark": _imported_when_used(
        "gate.sources.pytest_benchmark", "parse_benchmark_source"
    ),
    "wandb_csv": _imported_when_used("gate.sources.wandb_csv", "parse_wandb_source"),
}
