"""Log runs with MLflow's own client, in this process or (for local stores) in a child one.

A child process keeps MLflow's SQLAlchemy warnings, and its file-store opt-in
(``MLFLOW_ALLOW_FILE_STORE``), out of the test process::

    python tests/sources/mlflow_logging.py TRACKING_URI EXPERIMENTS_JSON DELETED_EXPERIMENT
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BASE_MS = 1_800_000_000_000  # 2027-01-15, so that logged start times sort as given


@dataclass
class RunSpec:
    name: str
    start: int  # seconds after BASE_MS
    tags: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    # name -> [(step, value)], logged in the order given
    histories: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    status: str = "FINISHED"
    deleted: bool = False


def log_runs(
    tracking_uri: str, experiment: str, runs: Sequence[RunSpec], *, delete: bool = False
) -> dict[str, str]:
    """Create ``experiment`` and log ``runs`` into it (then delete the experiment if asked);
    returns run name -> run id."""
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param, RunTag

    client = MlflowClient(tracking_uri=tracking_uri)
    experiment_id = client.create_experiment(experiment)
    ids = {}
    for spec in runs:
        start = BASE_MS + spec.start * 1000
        run = client.create_run(experiment_id, start_time=start, tags=spec.tags, run_name=spec.name)
        run_id = run.info.run_id
        metrics = [Metric(key, value, start + 1, 0) for key, value in spec.metrics.items()]
        for key, points in spec.histories.items():
            metrics += [Metric(key, value, start + 2 + step, step) for step, value in points]
        params = [Param(key, value) for key, value in spec.params.items()]
        client.log_batch(run_id, metrics=metrics, params=params, tags=[RunTag("seeded", "yes")])
        client.set_terminated(run_id, status=spec.status, end_time=start + 60_000)
        if spec.deleted:
            client.delete_run(run_id)
        ids[spec.name] = run_id
    if delete:
        client.delete_experiment(experiment_id)
    return ids


def log_runs_in_child(
    tracking_uri: str, experiments: Mapping[str, Sequence[RunSpec]], *, deleted: str = ""
) -> dict[str, dict[str, str]]:
    """``log_runs`` for each experiment in a child Python, with the file store allowed;
    the experiment named ``deleted`` is deleted. Returns experiment -> run name -> run id."""
    env = {**os.environ, "MLFLOW_ALLOW_FILE_STORE": "true"}
    payload = json.dumps(
        {name: [asdict(spec) for spec in runs] for name, runs in experiments.items()}
    )
    done = subprocess.run(
        [sys.executable, str(Path(__file__)), tracking_uri, payload, deleted],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"logging runs failed:\n{done.stderr[-3000:]}")
    ids: dict[str, dict[str, str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return ids


def _spec(raw: Mapping[str, Any]) -> RunSpec:
    histories = {
        key: [(int(s), float(v)) for s, v in points] for key, points in raw["histories"].items()
    }
    return RunSpec(**{**raw, "histories": histories})


if __name__ == "__main__":
    uri, experiments, deleted = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    logged = {
        name: log_runs(uri, name, [_spec(raw) for raw in specs], delete=name == deleted)
        for name, specs in experiments.items()
    }
    print(json.dumps(logged))
