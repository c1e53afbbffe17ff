"""The policy's ``mlflow:`` source: which store, which experiment, which runs.

```yaml
baseline:
  mlflow:
    tracking_uri: http://mlflow.internal:5000   # or ./mlruns, or sqlite:///mlflow.db
    experiment: digits                          # or experiment_id: "3"
    filter: "tags.branch = 'main' and attributes.status = 'FINISHED'"
    latest: 5
```

``tracking_uri`` defaults to ``$MLFLOW_TRACKING_URI``. A relative path in the
policy is relative to the policy's folder; one from the environment, to the
working directory (as for MLflow itself).
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

from gate.errors import FilterError
from gate.policy import source_keys as keys
from gate.policy.yamldoc import Path_, YamlDocument, only_keys
from gate.sources import RunSource
from gate.sources.mlflow.file_store import MlflowFileStore
from gate.sources.mlflow.filter import parse_filter, parse_order_by
from gate.sources.mlflow.local import MlflowLocalSource
from gate.sources.mlflow.records import DEFAULT_ORDER, MlflowQuery
from gate.sources.mlflow.sqlite_store import MlflowSqliteStore

KEYS = (
    "tracking_uri",
    "experiment",
    "experiment_id",
    "filter",
    "order_by",
    "latest",
    "max_results",
)
MAX_PAGE = 50_000  # the most runs/search returns at once


def parse_mlflow_source(
    doc: YamlDocument, path: Path_, node: dict[str, object], base_dir: Path
) -> RunSource:
    only_keys(doc, path, node, ("mlflow",))
    path = (*path, "mlflow")
    spec = node["mlflow"]
    if not isinstance(spec, dict):
        raise doc.error(path, "must be a mapping such as `{experiment: digits, latest: 5}`")
    only_keys(doc, path, spec, KEYS)
    query = MlflowQuery(
        experiment=keys.text(doc, (*path, "experiment"), spec.get("experiment")),
        experiment_id=_experiment_id(doc, (*path, "experiment_id"), spec.get("experiment_id")),
        filter=keys.text(doc, (*path, "filter"), spec.get("filter"), empty_ok=True) or "",
        order_by=_order_by(doc, (*path, "order_by"), spec.get("order_by")),
        latest=keys.count(doc, (*path, "latest"), spec.get("latest")),
        page_size=keys.count(doc, (*path, "max_results"), spec.get("max_results"), most=MAX_PAGE)
        or 1000,
    )
    if (query.experiment is None) == (query.experiment_id is None):
        raise doc.error(path, "give the experiment by name (`experiment:`) or by `experiment_id:`")
    uri_path = (*path, "tracking_uri")
    uri = keys.text(doc, uri_path, spec.get("tracking_uri"))
    if uri is None:
        uri = os.environ.get("MLFLOW_TRACKING_URI", "").strip()
        base_dir = Path.cwd()
        if not uri:
            raise doc.error(path, "set `tracking_uri:` or the MLFLOW_TRACKING_URI variable")
    scheme = urllib.parse.urlsplit(uri).scheme.lower()
    if scheme in ("http", "https"):
        from gate.sources.mlflow.server import MlflowServerSource  # requests: only when needed

        return MlflowServerSource(uri, query)
    try:
        parse_filter(query.filter)
    except FilterError as err:
        raise doc.error((*path, "filter"), f"{err} (in a local MLflow store)") from None
    try:
        parse_order_by(query.order_by)
    except FilterError as err:
        raise doc.error((*path, "order_by"), f"{err} (in a local MLflow store)") from None
    if scheme == "sqlite":
        if not uri.lower().startswith("sqlite:///"):
            raise doc.error(
                uri_path,
                f"a SQLite store is sqlite:///RELATIVE or sqlite:////ABSOLUTE, not {uri!r}",
            )
        location = base_dir / urllib.parse.unquote(uri[len("sqlite:///") :])
        return MlflowLocalSource(MlflowSqliteStore(location), uri, query)
    if scheme == "file":
        parts = urllib.parse.urlsplit(uri)
        if parts.netloc not in ("", "localhost"):
            raise doc.error(uri_path, f"a file: URI must name a local folder, not {uri!r}")
        location = base_dir / urllib.parse.unquote(parts.path)
    elif scheme and len(scheme) > 1:  # one letter is a Windows drive
        raise doc.error(
            uri_path,
            f"cannot read an MLflow store at {scheme}:; use the tracking server's http(s):// "
            "address, an mlruns/ folder, or sqlite:///FILE",
        )
    else:
        location = base_dir / uri
    return MlflowLocalSource(MlflowFileStore(location), uri, query)


def _experiment_id(doc: YamlDocument, path: Path_, value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return keys.text(doc, path, value)


def _order_by(doc: YamlDocument, path: Path_, value: object) -> tuple[str, ...]:
    if value is None:
        return DEFAULT_ORDER
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise doc.error(path, "must be an order such as `metrics.accuracy DESC`, or a list of them")
    return tuple(str(item).strip() for item in items)
