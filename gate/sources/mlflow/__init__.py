"""Runs from MLflow: a tracking server over REST (``server``, ``rest_client``), or a
local store read directly (``local``, with ``file_store`` for ``mlruns/`` folders and
``sqlite_store`` for ``sqlite:///`` databases, searched with ``filter``); ``records``
turns what each store yields into runs the same way for all three."""

from __future__ import annotations

from gate.policy.sources import MlflowSpec
from gate.sources import RunSource
from gate.sources.mlflow.runs import MlflowQuery


def open_mlflow(spec: MlflowSpec) -> RunSource:
    query = MlflowQuery(
        experiment=spec.experiment,
        experiment_id=spec.experiment_id,
        filter=spec.filter,
        order_by=spec.order_by,
        latest=spec.latest,
        page_size=spec.max_results,
        written_filter=spec.written_filter,
    )
    if spec.store == "server":
        from gate.sources.mlflow.server import MlflowServerSource  # requests: only when needed

        return MlflowServerSource(spec.tracking_uri, query)
    from gate.sources.mlflow.local import MlflowLocalSource

    assert spec.location is not None  # a local store always has one
    if spec.store == "sqlite":
        from gate.sources.mlflow.sqlite_store import MlflowSqliteStore

        return MlflowLocalSource(MlflowSqliteStore(spec.location), spec.tracking_uri, query)
    from gate.sources.mlflow.file_store import MlflowFileStore

    return MlflowLocalSource(MlflowFileStore(spec.location), spec.tracking_uri, query)
