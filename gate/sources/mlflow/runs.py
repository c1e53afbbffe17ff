"""What every MLflow store yields: runs as MLflow describes them, and the query that found them.

The REST server, an ``mlruns/`` folder and a ``sqlite:///`` database each turn
their runs into ``MlflowRecord``s; this module turns those into ``Run``s the
same way for all three, so a run reads the same wherever it is stored.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace

from gate.errors import NoRunsError
from gate.model import Run
from gate.policy.sources import MLFLOW_DEFAULT_ORDER

RUN_NAME_TAG = "mlflow.runName"
COMMIT_TAG = "mlflow.source.git.commit"
DEFAULT_ORDER = MLFLOW_DEFAULT_ORDER
# MLflow's SQL stores save +-inf as +-DBL_MAX, and NaN as 0 with is_nan set.
_CLAMPED = sys.float_info.max


@dataclass(frozen=True)
class MlflowRecord:
    """One run as MLflow stores it; times are epoch milliseconds."""

    run_id: str
    run_name: str
    status: str
    start_time: int | None
    end_time: int | None
    user_id: str
    metrics: Mapping[str, float]
    params: Mapping[str, str]
    tags: Mapping[str, str]

    def attribute(self, name: str) -> str | float | None:
        """The value of ``attributes.NAME`` in an MLflow filter (``status``, ``start_time`` ...)."""
        values: dict[str, str | float | None] = {
            "run_id": self.run_id,
            "run_name": self.run_name or None,  # as in MLflow: a run with no name matches nothing
            "status": self.status,
            "user_id": self.user_id,
            "start_time": self.start_time,
            "end_time": self.end_time,
        }
        return values.get(name)

    def to_run(self, *, origin: str, series: Mapping[str, tuple[float, ...]]) -> Run:
        """The run: latest values as metrics, except those whose history is in ``series``."""
        tags = dict(self.tags)
        if self.run_name:
            tags.setdefault(RUN_NAME_TAG, self.run_name)
        return Run(
            id=self.run_id,
            metrics={name: v for name, v in self.metrics.items() if name not in series},
            params=dict(self.params),
            tags=tags,
            start_time=None if self.start_time is None else self.start_time / 1000,
            origin=origin,
            series=dict(series),
        )


@dataclass(frozen=True)
class MlflowQuery:
    """Which runs to read: an experiment, a filter, an order and how many."""

    experiment: str | None = None  # by name
    experiment_id: str | None = None
    filter: str = ""
    order_by: tuple[str, ...] = DEFAULT_ORDER
    latest: int | None = None
    page_size: int = 1000
    written_filter: str | None = None  # as the policy writes it, unexpanded: for reports

    def experiment_label(self) -> str:
        if self.experiment is not None:
            return f"experiment {self.experiment!r}"
        return f"experiment id {self.experiment_id}"

    def describe(self) -> str:
        parts = [self.experiment_label()]
        shown = self.filter if self.written_filter is None else self.written_filter
        if shown:
            parts.append(f"filter {shown!r}")
        if self.order_by != DEFAULT_ORDER:
            parts.append(f"order_by {', '.join(self.order_by)}")
        if self.latest is not None:
            parts.append(f"latest {self.latest}")
        return ", ".join(parts)

    def narrowed(self, field: str, value: str) -> MlflowQuery:
        """The same query, keeping only runs whose run field ``field`` equals ``value``."""
        clause = f"{filter_identifier(field)} = {quote_value(value)}"
        return replace(self, filter=f"{self.filter} and {clause}" if self.filter else clause)


def filter_identifier(field: str) -> str:
    """A run field path (``tags.mlflow.source.git.commit``, ``id``) as an MLflow filter name."""
    if field == "id":
        return "attributes.run_id"
    if field == "start_time":
        return "attributes.start_time"
    section, _, name = field.partition(".")
    if "`" in name:
        raise ValueError(f"a field name with a backtick cannot go into an MLflow filter: {field}")
    return f"{section}.`{name}`"


def quote_value(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise ValueError(f"a value with both kinds of quote cannot go into an MLflow filter: {value}")


def metric_number(value: object) -> float | None:
    """A metric value as MLflow sends it (a number, or "NaN"/"Infinity" text); None if neither.

    +-DBL_MAX reads as +-infinity: that is how MLflow's SQL stores keep an infinite value.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    if abs(number) == _CLAMPED:
        return math.copysign(math.inf, number)
    return number


def nothing_found(query: MlflowQuery, source: str, *, detail: str = "") -> NoRunsError:
    """The error for a query that found no runs: it repeats the query, so it can be fixed."""
    return NoRunsError(f"no runs found for {query.describe()}{detail}", source=source)


def origin_of(record: MlflowRecord, where: str) -> str:
    name = f"{record.run_name!r} " if record.run_name else ""
    return f"{where}, run {name}({record.run_id})"
