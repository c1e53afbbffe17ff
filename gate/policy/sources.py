"""The policy's ``candidate:`` and ``baseline:``: where each side's runs come from, as plain data.

An entry is a path, a list of paths, or a mapping whose kind key names its source::

    candidate: runs/pr/                                   # rungate's run files
    baseline:  {path: runs/, where: {tags.branch: main}, latest: 5}
    baseline:  {mlflow: {experiment: digits, latest: 5}, git: {commit: merge-base}}
    baseline:  {dvc: {path: metrics.json, rev: main, latest: 5}}
    candidate: {wandb_csv: {path: export.csv, config: [lr, seed]}}  # pytest_benchmark alike

Parsing validates everything (a problem names its file, line and key) into frozen
specifications, and opens nothing: ``gate.sources.open_source`` does.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gate.errors import FilterError
from gate.policy import recorded, values
from gate.policy.eval_specs import EVAL_KINDS, EvalLogSpec
from gate.policy.recorded import HistorySpec
from gate.policy.table import Table, key
from gate.policy.values import Where, configured
from gate.policy.yamldoc import Path_, YamlDocument, only_keys

MLFLOW_DEFAULT_ORDER = ("attributes.start_time DESC",)


@dataclass(frozen=True)
class GitSpec:
    """``git:`` beside a source: keep the runs of one commit chosen with git."""

    commit: str = key(configured(values.text), help="head, merge-base, or a git revision")
    branch: str | None = key(configured(values.text), default=None)  # None: $GITHUB_BASE_REF
    commit_field: str | None = key(values.run_field, default=None)  # None: the source's own
    branch_field: str = key(values.run_field, default="tags.branch")


@dataclass(frozen=True)
class FilesSpec:
    """``path:``: rungate's own run files (JSON, JSON Lines, CSV), or folders of them."""

    path: tuple[Path, ...] = key(values.paths, help="a run file or folder, or a list of them")
    where: Where = key(values.where, default=())
    latest: int | None = key(values.count, default=None)


@dataclass(frozen=True)
class BenchmarkSpec(FilesSpec):
    """``pytest_benchmark:``: files of ``pytest --benchmark-json``; a round is a run."""

    path: tuple[Path, ...] = key(
        values.paths, help="a pytest-benchmark JSON file or a folder of them"
    )


@dataclass(frozen=True)
class WandbSpec(FilesSpec):
    """``wandb_csv:``: a W&B runs table exported as CSV."""

    path: tuple[Path, ...] = key(values.paths, help="a CSV file exported from a W&B runs table")
    config: tuple[str, ...] = key(values.texts, default=())  # numeric columns that are params


@dataclass(frozen=True)
class DvcSpec:
    """``dvc:``: a metrics file at git revisions, or saved ``dvc exp show --json`` output."""

    folder: Path  # the repository: where git runs, and what ``path`` is relative to
    path: str | None = key(configured(values.text), default=None)
    repo: str | None = key(configured(values.text), default=None)  # None: the policy's folder
    rev: tuple[str, ...] = key(configured(values.texts), default=())
    latest: int | None = key(values.count, default=None)
    exp_show: tuple[Path, ...] = key(values.paths, default=())
    where: Where = key(values.where, default=())


def _experiment_id(doc: YamlDocument, path: Path_, value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return values.text(doc, path, value)


def _order_by(doc: YamlDocument, path: Path_, value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise doc.error(path, "must be an order such as `metrics.accuracy DESC`, or a list of them")
    return tuple(str(item).strip() for item in items)


MlflowStore = Literal["server", "sqlite", "files"]


@dataclass(frozen=True)
class MlflowSpec:
    """``mlflow:``: runs of one experiment of a tracking server or a local store."""

    store: MlflowStore  # which kind of store ``tracking_uri`` names
    location: Path | None  # a local store's file or folder; None for a server
    tracking_uri: str = key(configured(values.text), default="")  # "": $MLFLOW_TRACKING_URI
    experiment: str | None = key(configured(values.text), default=None)
    experiment_id: str | None = key(configured(_experiment_id), default=None)
    filter: str = key(configured(values.text_or_empty), default="")
    order_by: tuple[str, ...] = key(configured(_order_by), default=MLFLOW_DEFAULT_ORDER)
    # The filter as the policy writes it, for reports: a ${TOKEN} in it is never shown.
    written_filter: str = ""
    latest: int | None = key(values.count, default=None)
    max_results: int = key(values.page_size, default=1000)


@dataclass(frozen=True)
class GitSelected:
    """A source narrowed to the runs of one commit chosen with git (``git:`` beside it)."""

    inner: KindSpec
    git: GitSpec
    folder: Path  # the repository git runs in: the policy's folder, or a dvc source's repo


KindSpec = FilesSpec | BenchmarkSpec | WandbSpec | DvcSpec | MlflowSpec | EvalLogSpec | HistorySpec
SourceSpec = KindSpec | GitSelected

GIT = Table(GitSpec, example="`{commit: merge-base, branch: main}`")
FILES = Table(FilesSpec, example="`{path: runs/, where: {tags.branch: main}, latest: 5}`")
BENCHMARK = Table(BenchmarkSpec, example="`{path: .benchmarks/}`")
WANDB = Table(WandbSpec, example="`{path: export.csv, config: [lr, seed]}`")
DVC = Table(DvcSpec, example="`{path: metrics.json, rev: main}`")
MLFLOW = Table(MlflowSpec, example="`{experiment: digits, latest: 5}`")


def parse_source(doc: YamlDocument, path: Path_, node: object) -> SourceSpec:
    """Validate the source entry ``node`` found at ``path`` of the policy."""
    if isinstance(node, (str, list)):
        return FilesSpec(path=values.paths(doc, path, node))
    if not isinstance(node, dict):
        raise doc.error(
            path,
            "must be a path, a list of paths, or a mapping such as "
            "`{path: runs/, where: {tags.branch: main}, latest: 5}`",
        )
    kind = next((kind for kind in KINDS if kind in node), None)
    if kind is None:
        raise doc.error(path, f"a source mapping needs one of the keys {', '.join(KINDS)}")
    rest = {name: value for name, value in node.items() if name != "git"}
    spec = KINDS[kind](doc, path, rest)
    if "git" not in node:
        return spec
    repository = spec.folder if isinstance(spec, DvcSpec) else doc.folder
    return GitSelected(spec, GIT.parse(doc, (*path, "git"), node["git"]), repository)


def _files(doc: YamlDocument, path: Path_, node: dict[str, object]) -> KindSpec:
    return FILES.parse(doc, path, node)


def _kind_mapping(
    doc: YamlDocument, path: Path_, node: dict[str, object], kind: str, *, bare_path: bool
) -> object:
    """What stands under ``kind:``, the mapping's only key besides ``git:``; with
    ``bare_path``, a path or a list of paths there stands for ``{path: ...}``."""
    only_keys(doc, path, node, (kind,))
    value = node[kind]
    return {"path": value} if bare_path and isinstance(value, (str, list)) else value


def _benchmark(doc: YamlDocument, path: Path_, node: dict[str, object]) -> KindSpec:
    given = _kind_mapping(doc, path, node, "pytest_benchmark", bare_path=True)
    return BENCHMARK.parse(doc, (*path, "pytest_benchmark"), given)


def _wandb(doc: YamlDocument, path: Path_, node: dict[str, object]) -> KindSpec:
    given = _kind_mapping(doc, path, node, "wandb_csv", bare_path=True)
    return WANDB.parse(doc, (*path, "wandb_csv"), given)


def _dvc(doc: YamlDocument, path: Path_, node: dict[str, object]) -> KindSpec:
    here = (*path, "dvc")
    given = DVC.read(doc, here, _kind_mapping(doc, path, node, "dvc", bare_path=False))
    spec = DVC.build(doc, here, given, folder=doc.folder / str(given.get("repo") or "."))
    if (spec.path is None) == (not spec.exp_show):
        raise doc.error(here, "give `path:` (a metrics file) or `exp_show:` (dvc exp show --json)")
    if spec.exp_show and "rev" in given:
        raise doc.error((*here, "rev"), "`rev:` goes with `path:`; select experiments with where:")
    if spec.path is not None and "where" in given:
        raise doc.error(
            (*here, "where"), "`where:` goes with `exp_show:`; choose commits with rev:"
        )
    if spec.path is not None and spec.latest is not None and len(spec.rev) != 1:
        raise doc.error((*here, "latest"), "`latest:` needs exactly one `rev:` to walk back from")
    return spec


def _mlflow(doc: YamlDocument, path: Path_, node: dict[str, object]) -> KindSpec:
    here = (*path, "mlflow")
    given = MLFLOW.read(doc, here, _kind_mapping(doc, path, node, "mlflow", bare_path=False))
    if ("experiment" in given) == ("experiment_id" in given):
        raise doc.error(here, "give the experiment by name (`experiment:`) or by `experiment_id:`")
    uri_path = (*here, "tracking_uri")
    uri, folder = str(given.get("tracking_uri", "")), doc.folder
    if not uri:
        # Like MLflow itself: a relative path from the environment is relative to the
        # working directory, one in the policy to the policy's folder.
        uri, folder = os.environ.get("MLFLOW_TRACKING_URI", "").strip(), Path.cwd()
        if not uri:
            raise doc.error(here, "set `tracking_uri:` or the MLFLOW_TRACKING_URI variable")
    store, location = _mlflow_store(doc, uri_path, uri, folder)
    node_filter = node["mlflow"].get("filter") if isinstance(node["mlflow"], dict) else None
    written = node_filter.strip() if isinstance(node_filter, str) else ""
    spec = MLFLOW.build(
        doc,
        here,
        {**given, "tracking_uri": uri},
        store=store,
        location=location,
        written_filter=written,
    )
    if store != "server":
        _check_local_query(doc, here, spec)
    return spec


def _mlflow_store(
    doc: YamlDocument, path: Path_, uri: str, folder: Path
) -> tuple[MlflowStore, Path | None]:
    try:
        parts = urllib.parse.urlsplit(uri)
        parts.port  # noqa: B018 - reading it checks it: "abc" or 99999 raise ValueError
    except ValueError as err:
        raise doc.error(path, f"not a valid address: {err} ({_without_password(uri)!r})") from None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.hostname:
            raise doc.error(path, f"names no host: {_without_password(uri)!r}")
        return "server", None
    if scheme == "sqlite":
        if not uri.lower().startswith("sqlite:///"):
            raise doc.error(
                path, f"a SQLite store is sqlite:///RELATIVE or sqlite:////ABSOLUTE, not {uri!r}"
            )
        return "sqlite", folder / urllib.parse.unquote(uri[len("sqlite:///") :])
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            where = _without_password(uri)
            raise doc.error(path, f"a file: URI must name a local folder, not {where!r}")
        return "files", folder / urllib.parse.unquote(parts.path)
    if scheme == "databricks" or uri.strip().lower() == "databricks":
        raise doc.error(
            path,
            "Databricks-hosted MLflow is not supported; use an MLflow tracking server's "
            "http(s):// address, an mlruns/ folder, or sqlite:///FILE",
        )
    if scheme and len(scheme) > 1:  # one letter is a Windows drive
        raise doc.error(
            path,
            f"the scheme {scheme}:// is not supported (rungate reads an MLflow tracking "
            "server's http(s):// address, an mlruns/ folder, or sqlite:///FILE)",
        )
    return "files", folder / uri


def _without_password(uri: str) -> str:
    """The address without any user name and password, for messages."""
    try:
        parts = urllib.parse.urlsplit(uri)
    except ValueError:
        return uri.split("@")[-1]
    if "@" not in parts.netloc:
        return uri
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _check_local_query(doc: YamlDocument, path: Path_, spec: MlflowSpec) -> None:
    """Local stores are searched by rungate's own reading of MLflow's filter language."""
    # The grammar lives with the MLflow source; it is imported only for policies that use it.
    from gate.sources.mlflow.filter import parse_filter, parse_order_by

    try:
        parse_filter(spec.filter)
    except FilterError as err:
        raise doc.error((*path, "filter"), f"{err} (in a local MLflow store)") from None
    try:
        parse_order_by(spec.order_by)
    except FilterError as err:
        raise doc.error((*path, "order_by"), f"{err} (in a local MLflow store)") from None


KINDS = {
    "path": _files,
    "mlflow": _mlflow,
    "dvc": _dvc,
    "pytest_benchmark": _benchmark,
    "wandb_csv": _wandb,
    "history": recorded.parse_history_source,
    **EVAL_KINDS,  # lm_eval, inspect, promptfoo (gate/policy/eval_specs.py)
}
