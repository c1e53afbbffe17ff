"""The policy's history: where main's runs are recorded (``history:``), and a baseline read
from there (``baseline: {history: {...}}``), as plain data.

```yaml
history:
  git: {branch: rungate-history, remote: origin}   # the default store: a data branch
  # or: path: .rungate/history                     # a folder
  # or: mlflow: {tracking_uri: https://..., experiment: rungate-history}
baseline:
  history: {commit: merge-base, branch: main, window: 3}
```

Parsing opens nothing: ``gate.stores.open_store`` makes the store and
``gate.sources.history`` reads a baseline from it.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from gate.policy import values
from gate.policy.table import Table, key
from gate.policy.values import Where, configured
from gate.policy.yamldoc import Path_, YamlDocument, only_keys

MERGE_BASE = "merge-base"
DEFAULT_BRANCH = "rungate-history"
DEFAULT_EXPERIMENT = "rungate-history"


@dataclass(frozen=True)
class GitStoreSpec:
    """``git:``: records on a data branch of this repository, pushed to ``remote``."""

    folder: Path  # where git runs: the policy's folder, inside the repository
    branch: str = key(configured(values.text), default=DEFAULT_BRANCH, help="the data branch")
    remote: str = key(configured(values.text), default="origin", help="the remote it is pushed to")


@dataclass(frozen=True)
class FolderStoreSpec:
    """``path:``: records as files in a folder (an artifact, a cache, a shared disk)."""

    path: Path


def _server_uri(doc: YamlDocument, path: Path_, value: object) -> str:
    uri = values.text(doc, path, value)
    parts = urllib.parse.urlsplit(uri)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise doc.error(path, f"must be a tracking server's http(s):// address, not {uri!r}")
    return uri


@dataclass(frozen=True)
class MlflowStoreSpec:
    """``mlflow:``: each recorded run logged to an MLflow tracking server (REST)."""

    tracking_uri: str = key(
        configured(_server_uri), help="the tracking server's http(s):// address"
    )
    experiment: str = key(configured(values.text), default=DEFAULT_EXPERIMENT)


StoreSpec = GitStoreSpec | FolderStoreSpec | MlflowStoreSpec


def _whole(doc: YamlDocument, path: Path_, value: object, *, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise doc.error(path, f"must be a whole number of {what}, 0 or more, not {value!r:.80}")
    return value


def days_behind(doc: YamlDocument, path: Path_, value: object) -> int:
    return _whole(doc, path, value, what="days")


def commits_behind(doc: YamlDocument, path: Path_, value: object) -> int:
    return _whole(doc, path, value, what="commits")


def window_size(doc: YamlDocument, path: Path_, value: object) -> int:
    return values.count(doc, path, value, what="recorded commits")


@dataclass(frozen=True)
class HistorySpec:
    """``history:`` as a source: the runs recorded for the merge-base (or a revision)."""

    store: StoreSpec  # the policy's top-level ``history:``
    folder: Path  # the repository git runs in
    commit: str = key(
        configured(values.text),
        default=MERGE_BASE,
        help="merge-base (with `branch`), or a git revision; its nearest recorded "
        "first-parent ancestor is the baseline",
    )
    branch: str | None = key(configured(values.text), default=None)  # None: the CI's, else main
    window: int = key(window_size, default=1, help="pool the runs of this many recorded commits")
    where: Where = key(values.where, default=())
    latest: int | None = key(values.count, default=None)
    stale_commits: int = key(
        commits_behind, default=20, help="note a baseline more commits than this behind"
    )
    stale_days: int = key(
        days_behind, default=14, help="note a baseline more days than this behind"
    )
    since_change: bool = key(
        values.flag,
        default=False,
        help="start the window at the latest shift in main's history inside it",
    )


GIT_STORE = Table(GitStoreSpec, example="`{branch: rungate-history, remote: origin}`")
MLFLOW_STORE = Table(MlflowStoreSpec, example="`{tracking_uri: https://..., experiment: e}`")
HISTORY = Table(HistorySpec, example="`{commit: merge-base, branch: main, window: 3}`")
STORE_KINDS = ("git", "path", "mlflow")


def parse_store(doc: YamlDocument, path: Path_, node: object) -> StoreSpec:
    """The top-level ``history:``: exactly one of ``git:``, ``path:`` or ``mlflow:``."""
    if not isinstance(node, dict):
        raise doc.error(path, "must be a mapping such as `{git: {branch: rungate-history}}`")
    only_keys(doc, path, node, STORE_KINDS)
    given = [kind for kind in STORE_KINDS if kind in node]
    if len(given) != 1:
        raise doc.error(path, "give exactly one store: `git:`, `path:` or `mlflow:`")
    kind = given[0]
    here = (*path, kind)
    if kind == "path":
        return FolderStoreSpec(values.paths(doc, here, node[kind])[0])
    settings = node[kind] if node[kind] is not None else {}  # `git:` alone: the defaults
    if kind == "git":
        return GIT_STORE.parse(doc, here, settings, folder=doc.folder)
    return MLFLOW_STORE.parse(doc, here, settings)


def parse_history_source(doc: YamlDocument, path: Path_, node: dict[str, object]) -> HistorySpec:
    """``{history: {...}}`` as a side's source; the store is the policy's ``history:``."""
    only_keys(doc, path, node, ("history",))
    if _given_git(doc, path):
        raise doc.error((*path, "git"), "`git:` does not go with `history:`; use its `commit:`")
    top = doc.data if isinstance(doc.data, dict) else {}
    if "history" not in top:
        raise doc.error(
            (*path, "history"),
            "a history baseline needs a store: add a top-level `history:` "
            "such as `{git: {branch: rungate-history}}`",
        )
    store = parse_store(doc, ("history",), top["history"])
    settings = node["history"] if node["history"] is not None else {}
    return HISTORY.parse(doc, (*path, "history"), settings, store=store, folder=doc.folder)


def _given_git(doc: YamlDocument, path: Path_) -> bool:
    """Whether the source mapping at ``path`` has a ``git:`` beside ``history:`` (the
    source parser sets it apart before the kind's parser sees the mapping)."""
    node: object = doc.data
    for part in path:
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return False
    return isinstance(node, dict) and "git" in node
