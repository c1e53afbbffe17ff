"""Runs from a local MLflow store: an ``mlruns/`` folder or a ``sqlite:///`` database.

The store is read directly (no MLflow needed); the filter, order and ``latest``
are applied here, with the subset of MLflow's filter language described in
``gate.sources.mlflow.filter``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from gate.errors import FilterError, RunSetError
from gate.model import RunSet
from gate.sources.mlflow.filter import parse_filter, parse_order_by, select_records
from gate.sources.mlflow.runs import (
    COMMIT_TAG,
    MlflowQuery,
    MlflowRecord,
    nothing_found,
    origin_of,
)


class LocalStore(Protocol):
    """One kind of local MLflow store."""

    location: Path

    def experiment_id(self, name: str | None, experiment_id: str | None) -> str:
        """The id of the experiment named ``name`` (or check that ``experiment_id`` exists)."""
        ...

    def records(self, experiment_id: str) -> list[MlflowRecord]:
        """Every active (not deleted) run of the experiment."""
        ...

    def history(self, experiment_id: str, run_id: str, metric: str) -> tuple[float, ...]:
        """The metric's values in step order."""
        ...


class MlflowLocalSource:
    """The runs of one experiment of a local MLflow store that match a query."""

    commit_field = f"tags.{COMMIT_TAG}"  # MLflow sets it when a run starts in a git checkout

    def __init__(self, store: LocalStore, uri: str, query: MlflowQuery):
        self.store = store
        self.uri = uri
        self.query = query

    def describe(self) -> str:
        return f"mlflow {self.uri} ({self.query.describe()})"

    def local_paths(self) -> tuple[Path, ...]:
        return (self.store.location,)

    def narrowed(self, field: str, value: str) -> MlflowLocalSource:
        return MlflowLocalSource(self.store, self.uri, self.query.narrowed(field, value))

    def load(self, histories: frozenset[str] = frozenset()) -> RunSet:
        source = f"mlflow {self.uri}"
        try:
            clauses = parse_filter(self.query.filter)
            order = parse_order_by(self.query.order_by)
        except FilterError as err:
            raise RunSetError(f"filter {self.query.filter!r}: {err}", source=source) from None
        experiment_id = self.store.experiment_id(self.query.experiment, self.query.experiment_id)
        records = self.store.records(experiment_id)
        chosen = select_records(records, clauses, order, self.query.latest)
        if not chosen:
            count = len(records)
            detail = f" ({count} active run{'' if count == 1 else 's'} in the experiment)"
            raise nothing_found(self.query, source, detail=detail)
        where = f"{source} {self.query.experiment_label()}"
        runs = []
        for record in chosen:
            fetched = {
                name: self.store.history(experiment_id, record.run_id, name)
                for name in sorted(histories.intersection(record.metrics))
            }
            # A metric with a latest value but no history keeps its latest value.
            series = {name: values for name, values in fetched.items() if values}
            runs.append(record.to_run(origin=origin_of(record, where), series=series))
        return RunSet(runs=tuple(runs), description=self.describe())
