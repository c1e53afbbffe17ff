"""rungate's reading of MLflow's filter language, against MLflow's own search.

The same runs are logged by MLflow's client into an ``mlruns/`` folder and a
``sqlite:///`` store; every filter of the table must select the same runs in
rungate's local reader as ``MlflowClient.search_runs`` selects on the same store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from support.mlflow_logging import BASE_MS, RunSpec, log_runs_in_child
from support.mlflow_servers import require_mlflow

from gate.sources.mlflow.file_store import MlflowFileStore
from gate.sources.mlflow.filter import parse_filter, select_records
from gate.sources.mlflow.local import LocalStore
from gate.sources.mlflow.sqlite_store import MlflowSqliteStore

RUNS = [
    RunSpec("SVM", start=1, tags={"branch": "main"}, params={"seed": "1"}, metrics={"acc": 0.91}),
    RunSpec("SVM", start=2, tags={"branch": "main"}, params={"seed": "2"}, metrics={"acc": 0.93}),
    RunSpec("tree", start=3, tags={"branch": "dev"}, params={"seed": "1"}, metrics={"acc": 0.8}),
    RunSpec("crashed", start=4, tags={"branch": "main"}, status="FAILED"),
    RunSpec("my run", start=5, tags={"my tag": "x y"}, metrics={"loss": 0.2}),
]
FILTERS = [
    "",
    "tags.branch = 'main'",
    "tags.branch != 'main'",
    "tag.branch = 'dev'",
    "params.seed = '1'",
    "metrics.acc > 0.9",
    "metrics.acc <= 0.91",
    "metrics.acc != 0.8",
    "attributes.status = 'FAILED'",
    "attributes.status != 'FAILED'",
    "run_name = 'SVM'",
    "attributes.run_name = 'SVM'",
    "attributes.run_name = ''",
    "run_name != 'SVM'",
    f"attributes.start_time > {BASE_MS + 2500}",
    f"start_time <= {BASE_MS + 2000}",
    "tags.`my tag` = 'x y'",
    "tags.branch = 'main' and metrics.acc >= 0.92",
    "tags.branch = 'main' AND params.seed = '1'",
]
SEARCH = """
import json, sys
from mlflow import MlflowClient
uri, experiment, filters = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
client = MlflowClient(tracking_uri=uri)
experiment_id = client.get_experiment_by_name(experiment).experiment_id
print(json.dumps({f: sorted(r.info.run_name for r in client.search_runs([experiment_id], f))
                  for f in filters}))
"""


@dataclass(frozen=True)
class Stored:
    store: LocalStore
    mlflow_says: dict[str, list[str]]


@pytest.fixture(scope="module", params=["mlruns", "sqlite"])
def stored(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stored]:
    require_mlflow()
    folder = tmp_path_factory.mktemp(request.param)
    store: LocalStore
    if request.param == "mlruns":
        store = MlflowFileStore(folder / "mlruns")
        uri = (folder / "mlruns").as_uri()
    else:
        store = MlflowSqliteStore(folder / "mlflow.db")
        uri = f"sqlite:///{folder / 'mlflow.db'}"
    log_runs_in_child(uri, {"parity": RUNS})
    done = subprocess.run(
        [sys.executable, "-c", SEARCH, uri, "parity", json.dumps(FILTERS)],
        capture_output=True,
        text=True,
        env={**os.environ, "MLFLOW_ALLOW_FILE_STORE": "true"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    yield Stored(store, json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("text", FILTERS)
def test_a_filter_selects_what_mlflow_selects(stored: Stored, text: str) -> None:
    experiment_id = stored.store.experiment_id("parity", None)
    chosen = select_records(stored.store.records(experiment_id), parse_filter(text), (), None)
    assert sorted(record.run_name for record in chosen) == stored.mlflow_says[text]


def test_the_table_is_not_trivial(stored: Stored) -> None:
    # Filters that select nothing or everything would agree with anything.
    sizes = {len(names) for names in stored.mlflow_says.values()}
    assert len(sizes - {0, len(RUNS)}) >= 3
    assert stored.mlflow_says["run_name = 'SVM'"] == ["SVM", "SVM"]  # the bare name works
