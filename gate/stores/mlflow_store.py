"""A history store on an MLflow tracking server: each recorded run is an MLflow run.

Recording logs every run of the set to one experiment (created when missing) over
the REST API, with tags that say where it belongs: ``rungate.commit``,
``rungate.branch``, ``rungate.recorded_at`` and ``rungate.record`` (one id per
recording, so the runs of one recording are read back together), beside the
run's own params and tags (``rungate.run_id`` keeps its id). A series is logged
as a step history; reading back keeps each metric's last value. Reading goes
through the MLflow source (``gate.sources.mlflow.server``): paging, retries and
credentials (``MLFLOW_TRACKING_TOKEN`` ...) are its.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Iterator

from gate.errors import NoRunsError, ServerError, StoreError
from gate.model import CommitRuns, Run
from gate.retrying_http import redact_url
from gate.sources.mlflow.rest_client import JsonClient
from gate.sources.mlflow.runs import RUN_NAME_TAG, MlflowQuery
from gate.sources.mlflow.server import API, MlflowServerSource, _basic_auth, _token_header
from gate.stores import StoreContents
from gate.stores.record_file import is_sha, mark_duplicates
from gate.vocabulary import Direction

PREFIX = "rungate."
BATCH = 100  # MLflow takes at most 100 params or tags, and 1,000 metrics, a batch


class MlflowStore:
    def __init__(self, tracking_uri: str, experiment: str):
        self.tracking_uri = tracking_uri
        self.experiment = experiment

    def describe(self) -> str:
        return f"mlflow {redact_url(self.tracking_uri)} experiment {self.experiment!r}"

    def _client(self) -> JsonClient:
        return JsonClient(
            self.tracking_uri, source=self.describe(), headers=_token_header(), auth=_basic_auth()
        )

    def append(self, record: CommitRuns) -> str:
        # An MLflow run holds numbers by step, not scores keyed by example: recording them
        # would lose the pairing that `pair_by: example` needs, so it is refused, not done.
        keyed = sorted({name for run in record.runs for name in run.examples})
        if keyed:
            raise StoreError(
                f"the MLflow store keeps no per-example scores ({', '.join(keyed[:3])}); "
                "record evaluation logs to a `git:` or `path:` store",
                source=self.describe(),
            )
        client = self._client()
        nonce = secrets.token_hex(4)
        try:
            experiment_id = self._experiment_id(client, create=True)
            assert experiment_id is not None
            for run in record.runs:
                self._log(client, experiment_id, record, run, nonce)
        except ServerError as err:
            raise StoreError(str(err), source=self.describe()) from None
        finally:
            client.close()
        return f"{self.describe()}, recording {nonce}"

    def _experiment_id(self, client: JsonClient, *, create: bool) -> str | None:
        for attempt in range(2):
            try:
                body = client.get(
                    f"{API}/experiments/get-by-name", {"experiment_name": self.experiment}
                )
                experiment = body.get("experiment")
                return (
                    str(experiment.get("experiment_id")) if isinstance(experiment, dict) else None
                )
            except ServerError as err:
                if err.status != 404 or not create:
                    if err.status == 404:
                        return None
                    raise
            try:
                body = client.post(f"{API}/experiments/create", {"name": self.experiment})
                return str(body.get("experiment_id"))
            except ServerError as err:
                # Another job created it first: ask for it again.
                if "ALREADY_EXISTS" not in err.server_message or attempt:
                    raise
        return None

    def _log(
        self, client: JsonClient, experiment_id: str, record: CommitRuns, run: Run, nonce: str
    ) -> None:
        ms = round(record.recorded_at * 1000)
        tags = {
            f"{PREFIX}commit": record.commit,
            f"{PREFIX}branch": record.branch,
            f"{PREFIX}recorded_at": repr(record.recorded_at),
            f"{PREFIX}record": nonce,
            f"{PREFIX}run_id": run.id,
            **({} if run.start_time is None else {f"{PREFIX}start_time": repr(run.start_time)}),
            **(
                {
                    f"{PREFIX}directions": json.dumps(
                        {k: v.value for k, v in record.directions.items()}
                    )
                }
                if record.directions
                else {}
            ),
            **{name: value for name, value in run.tags.items() if not name.startswith(PREFIX)},
        }
        start = ms if run.start_time is None else round(run.start_time * 1000)
        created = client.post(
            f"{API}/runs/create",
            {"experiment_id": experiment_id, "start_time": start, "run_name": run.id},
        )
        info = created.get("run", {})
        run_id = str(info.get("info", {}).get("run_id", "")) if isinstance(info, dict) else ""
        points = [(name, value, 0) for name, value in run.metrics.items()]
        points += [
            (n, v, step) for n, values in run.series.items() for step, v in enumerate(values)
        ]
        metrics: list[dict[str, object]] = [
            {"key": name, "value": _value(value), "timestamp": ms, "step": step}
            for name, value, step in points
        ]
        params = [{"key": k, "value": v} for k, v in run.params.items()]
        tag_list = [{"key": k, "value": v} for k, v in tags.items()]
        for batch in _batches(metrics, params, tag_list):
            client.post(f"{API}/runs/log-batch", {"run_id": run_id, **batch})
        client.post(f"{API}/runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": ms})

    def read(self) -> StoreContents:
        client = self._client()
        try:
            experiment_id = self._experiment_id(client, create=False)
        finally:
            client.close()
        if experiment_id is None:
            return StoreContents(())
        query = MlflowQuery(experiment_id=experiment_id, order_by=("attributes.start_time ASC",))
        try:
            runs = MlflowServerSource(self.tracking_uri, query).load().runs
        except NoRunsError:
            return StoreContents(())
        groups: dict[str, list[Run]] = {}
        warnings = []
        for run in runs:
            commit = run.tags.get(f"{PREFIX}commit", "")
            if not is_sha(commit) or not _time(run.tags.get(f"{PREFIX}recorded_at")):
                warnings.append(f"skipped a run: {run.origin}: no rungate.commit and time tags")
                continue
            groups.setdefault(run.tags.get(f"{PREFIX}record", run.id), []).append(run)
        records = [self._record(group) for group in groups.values()]
        return StoreContents(mark_duplicates(records), tuple(warnings))

    def _record(self, runs: list[Run]) -> CommitRuns:
        tags = runs[0].tags
        kept = tuple(_restored(run) for run in runs)
        where = f"{self.describe()}, recording {tags.get(f'{PREFIX}record', runs[0].id)}"
        return CommitRuns(
            tags[f"{PREFIX}commit"],
            tags.get(f"{PREFIX}branch", ""),
            _time(tags.get(f"{PREFIX}recorded_at")) or 0.0,
            kept,
            origin=where,
            directions=_directions(tags.get(f"{PREFIX}directions")),
        )


def _direction_tag(record: CommitRuns) -> dict[str, str]:
    if not record.directions:
        return {}
    ways = {name: way.value for name, way in record.directions.items()}
    return {f"{PREFIX}directions": json.dumps(ways)}


def _directions(text: str | None) -> dict[str, Direction]:
    """The recorded logs' directions; a hand-edited tag that is not one counts as none."""
    try:
        found = json.loads(text or "{}")
    except ValueError:
        return {}
    ways = {way.value for way in Direction}
    if not isinstance(found, dict):
        return {}
    return {str(name): Direction(way) for name, way in found.items() if way in ways}


def _restored(run: Run) -> Run:
    """The run as it was recorded: its own id, tags and start time."""
    added = (RUN_NAME_TAG, "mlflow.user")  # what the server adds to a run it creates
    tags = {k: v for k, v in run.tags.items() if not k.startswith(PREFIX) and k not in added}
    return Run(
        id=run.tags.get(f"{PREFIX}run_id", run.id),
        metrics=run.metrics,
        params=run.params,
        tags=tags,
        start_time=_time(run.tags.get(f"{PREFIX}start_time")),
        origin=run.origin,
        series=run.series,
    )


def _time(text: str | None) -> float | None:
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _value(value: float) -> float | str:
    # MLflow's JSON reads "NaN" and "Infinity" as text; a bare NaN is not JSON.
    if math.isfinite(value):
        return value
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def _batches(
    metrics: list[dict[str, object]], params: list[dict[str, str]], tags: list[dict[str, str]]
) -> Iterator[dict[str, object]]:
    """MLflow's limits a batch: 1,000 metrics, 100 params, 100 tags."""
    count = max(
        -(-len(metrics) // (BATCH * 10)), -(-len(params) // BATCH), -(-len(tags) // BATCH), 1
    )
    for index in range(count):
        yield {
            "metrics": metrics[index * BATCH * 10 : (index + 1) * BATCH * 10],
            "params": params[index * BATCH : (index + 1) * BATCH],
            "tags": tags[index * BATCH : (index + 1) * BATCH],
        }
