"""Runs from an MLflow tracking server, through its REST API (no MLflow client needed).

``experiments/get-by-name`` finds the experiment, ``runs/search`` pages through
the runs (``page_token``), and ``metrics/get-history`` is asked only for the
metrics whose whole history the policy needs. Credentials come from
``MLFLOW_TRACKING_TOKEN`` (a bearer token) or ``MLFLOW_TRACKING_USERNAME`` and
``MLFLOW_TRACKING_PASSWORD`` (basic auth), as for MLflow's own client, and
are never printed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from gate.errors import RunSetError, ServerError
from gate.model import RunSet
from gate.retrying_http import Clock, RetryPolicy, Sleep, redact_url
from gate.sources.mlflow.rest_client import JsonClient
from gate.sources.mlflow.runs import (
    COMMIT_TAG,
    MlflowQuery,
    MlflowRecord,
    metric_number,
    nothing_found,
    origin_of,
)
from gate.sources.run_values import shown

API = "/api/2.0/mlflow"
HISTORY_PAGE = 25_000


class MlflowServerSource:
    """The runs of one experiment of an MLflow tracking server that match a query."""

    commit_field = f"tags.{COMMIT_TAG}"  # MLflow sets it when a run starts in a git checkout

    def __init__(
        self,
        tracking_uri: str,
        query: MlflowQuery,
        *,
        retry: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
    ):
        self.tracking_uri = tracking_uri
        self.query = query
        self._retry = retry
        self._sleep = sleep
        self._clock = clock

    @property
    def _source(self) -> str:
        return f"mlflow {redact_url(self.tracking_uri)}"

    def describe(self) -> str:
        return f"{self._source} ({self.query.describe()})"

    def local_paths(self) -> tuple[Path, ...]:
        return ()

    def narrowed(self, field: str, value: str) -> MlflowServerSource:
        return MlflowServerSource(
            self.tracking_uri,
            self.query.narrowed(field, value),
            retry=self._retry,
            sleep=self._sleep,
            clock=self._clock,
        )

    def load(self, histories: frozenset[str] = frozenset()) -> RunSet:
        client = JsonClient(
            self.tracking_uri,
            source=self._source,
            headers=_token_header(),
            auth=_basic_auth(),
            retry=self._retry,
            sleep=self._sleep,
            clock=self._clock,
        )
        try:
            experiment_id = self._experiment_id(client)
            records = list(self._search(client, experiment_id))
            if not records:
                detail = "" if self.query.experiment_id else f" (experiment id {experiment_id})"
                raise nothing_found(self.query, self._source, detail=detail)
            where = f"{self._source} {self.query.experiment_label()}"
            runs = []
            for record in records:
                wanted = sorted(histories.intersection(record.metrics))
                fetched = {name: self._history(client, record.run_id, name) for name in wanted}
                series = {name: values for name, values in fetched.items() if values}
                runs.append(record.to_run(origin=origin_of(record, where), series=series))
        finally:
            client.close()
        return RunSet(runs=tuple(runs), description=self.describe())

    def _experiment_id(self, client: JsonClient) -> str:
        if self.query.experiment_id is not None:
            return self.query.experiment_id
        name = self.query.experiment or ""
        try:
            body = client.get(f"{API}/experiments/get-by-name", {"experiment_name": name})
        except ServerError as err:
            if err.status != 404:
                raise
            raise RunSetError(
                f"no experiment named {name!r} on the server ({err.server_message})",
                source=self._source,
            ) from None
        experiment = _mapping(body.get("experiment"), "experiment", self._source)
        if experiment.get("lifecycle_stage") == "deleted":
            raise RunSetError(f"experiment {name!r} is deleted", source=self._source)
        return str(experiment.get("experiment_id"))

    def _search(self, client: JsonClient, experiment_id: str) -> Iterator[MlflowRecord]:
        wanted = self.query.latest
        request: dict[str, object] = {
            "experiment_ids": [experiment_id],
            "filter": self.query.filter,
            "order_by": list(self.query.order_by),
            "run_view_type": "ACTIVE_ONLY",
        }
        found = 0
        while True:
            page = (
                self.query.page_size
                if wanted is None
                else min(self.query.page_size, wanted - found)
            )
            body = client.post(f"{API}/runs/search", {**request, "max_results": page})
            for raw in _list(body.get("runs", []), "runs", self._source):
                record = _record(raw, self._source)
                if record is None:
                    continue  # deleted: ACTIVE_ONLY should not send it, but be sure
                yield record
                found += 1
            token = body.get("next_page_token")
            if not token or (wanted is not None and found >= wanted):
                return
            request["page_token"] = token

    def _history(self, client: JsonClient, run_id: str, name: str) -> tuple[float, ...]:
        points: list[tuple[float, float, float]] = []
        params: dict[str, str | int] = {
            "run_id": run_id,
            "metric_key": name,
            "max_results": HISTORY_PAGE,
        }
        while True:
            body = client.get(f"{API}/metrics/get-history", params)
            for raw in _list(body.get("metrics", []), "metrics", self._source):
                point = _mapping(raw, "a history point", self._source)
                value = metric_number(point.get("value"))
                if value is None:
                    raise RunSetError(
                        f"run {run_id}: metric {name!r} has a value that is not a number: "
                        f"{shown(point.get('value'))}",
                        source=self._source,
                    )
                points.append((_number(point.get("step")), _number(point.get("timestamp")), value))
            token = body.get("next_page_token")
            if not token:
                break
            params["page_token"] = str(token)
        points.sort(key=lambda point: (point[0], point[1]))
        return tuple(value for _, _, value in points)


def _token_header() -> dict[str, str]:
    token = os.environ.get("MLFLOW_TRACKING_TOKEN")
    return {"Authorization": f"Bearer {token}"} if token else {}


def _basic_auth() -> tuple[str, str] | None:
    if os.environ.get("MLFLOW_TRACKING_TOKEN"):
        return None
    user = os.environ.get("MLFLOW_TRACKING_USERNAME")
    password = os.environ.get("MLFLOW_TRACKING_PASSWORD")
    if user and password is not None:
        return (user, password)
    return None


def _record(raw: object, source: str) -> MlflowRecord | None:
    run = _mapping(raw, "a run", source)
    info = _mapping(run.get("info", {}), "a run's info", source)
    data = _mapping(run.get("data", {}), "a run's data", source)
    if info.get("lifecycle_stage") == "deleted":
        return None
    run_id = str(info.get("run_id") or info.get("run_uuid") or "")
    if not run_id:
        raise RunSetError(f"a run without a run_id: {shown(info)}", source=source)
    metrics = {}
    for key, value in _pairs(data.get("metrics"), source):
        number = metric_number(value)
        if number is None:
            raise RunSetError(
                f"run {run_id}: metric {key!r} is not a number: {shown(value)}", source=source
            )
        metrics[key] = number
    return MlflowRecord(
        run_id=run_id,
        run_name=str(info.get("run_name") or ""),
        status=str(info.get("status") or ""),
        start_time=_optional_int(info.get("start_time")),
        end_time=_optional_int(info.get("end_time")),
        user_id=str(info.get("user_id") or ""),
        metrics=metrics,
        params={key: str(value) for key, value in _pairs(data.get("params"), source)},
        tags={key: str(value) for key, value in _pairs(data.get("tags"), source)},
    )


def _pairs(items: object, source: str) -> Iterator[tuple[str, object]]:
    for item in _list(items or [], "key/value pairs", source):
        pair = _mapping(item, "a key/value pair", source)
        yield str(pair.get("key")), pair.get("value", "")


def _mapping(value: object, what: str, source: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise RunSetError(
            f"the server sent {what} that is not an object: {shown(value)}", source=source
        )
    return value


def _list(value: object, what: str, source: str) -> list[object]:
    if not isinstance(value, list):
        raise RunSetError(
            f"the server sent {what} that is not a list: {shown(value)}", source=source
        )
    return value


def _optional_int(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


def _number(value: object) -> float:
    number = _optional_int(value)
    return 0.0 if number is None else float(number)
