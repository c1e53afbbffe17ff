"""The MLflow store against a real ``mlflow server`` on 127.0.0.1: recordings are logged as
runs with rungate's tags and read back grouped by recording (with CI=true, a missing
MLflow fails these tests instead of skipping them)."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.history_repos import bare_remote, clone, commit, write_policy, write_runs
from support.mlflow_servers import mlflow_server, require_mlflow

from gate.cli import main
from gate.commands.record import run_record
from gate.errors import StoreError
from gate.model import CommitRuns, ExampleScores, Run
from gate.stores.mlflow_store import MlflowStore


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_mlflow()
    with mlflow_server(tmp_path_factory.mktemp("mlflow-history")) as url:
        yield url


@pytest.fixture(autouse=True)
def no_mlflow_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME"):
        monkeypatch.delenv(name, raising=False)


def test_recordings_are_read_back_grouped_and_marked(server: str) -> None:
    store = MlflowStore(server, "history-a")
    assert store.read().records == ()  # no experiment yet: nothing recorded
    sha, other = "a" * 40, "b" * 40
    runs = (
        Run(
            id="seed-1",
            metrics={"acc": 0.9, "loss": math.inf},
            params={"lr": "0.1"},
            tags={"team": "x"},
            start_time=1_800_000_000.0,
        ),
        Run(id="seed-2", metrics={"acc": 0.91}, series={"curve": (0.3, 0.2, 0.1)}),
    )
    store.append(CommitRuns(sha, "main", 1_800_000_100.0, runs))
    store.append(CommitRuns(other, "main", 1_800_000_200.0, runs[:1]))
    store.append(CommitRuns(sha, "main", 1_800_000_300.0, runs[1:]))

    contents = store.read()
    assert contents.warnings == ()
    shape = [(r.commit, r.recorded_at, r.duplicate, len(r.runs)) for r in contents.records]
    assert shape == [
        (sha, 1_800_000_100.0, 0, 2),
        (other, 1_800_000_200.0, 0, 1),
        (sha, 1_800_000_300.0, 1, 1),
    ]
    first = {run.id: run for run in contents.records[0].runs}
    assert first["seed-1"].metrics == {"acc": 0.9, "loss": math.inf}
    assert first["seed-1"].params == {"lr": "0.1"} and first["seed-1"].tags == {"team": "x"}
    assert first["seed-1"].start_time == 1_800_000_000.0
    assert first["seed-2"].metrics["curve"] == 0.1  # a series reads back as its last value


def test_record_then_gate_through_the_mlflow_store(server: str, tmp_path: Path) -> None:
    repo = clone(bare_remote(tmp_path), tmp_path / "repo")
    store = f"{{mlflow: {{tracking_uri: '{server}', experiment: history-b}}}}"
    write_policy(repo, store, "{history: {commit: HEAD~1}}")
    base = commit(repo, "m1")
    runs = write_runs(repo / "main.json", [0.900, 0.904, 0.896, 0.902, 0.898])
    environ = {"CI_COMMIT_SHA": base, "CI_COMMIT_BRANCH": "main"}
    assert (
        run_record(policy=repo / "rungate.yml", runs=[runs], environ=environ, clock=time.time) == 0
    )
    commit(repo, "m2")
    candidate = write_runs(repo / "pr.json", [0.85, 0.852, 0.848, 0.851, 0.849])
    assert (
        main(["check", "--policy", str(repo / "rungate.yml"), "--candidate", str(candidate)]) == 1
    )


def test_per_example_scores_are_refused_rather_than_lost(server: str) -> None:
    store = MlflowStore(server, "history-c")
    examples = ExampleScores(keys=("q1", "q2"), scores=(1.0, 0.0))
    run = Run(id="log", metrics={"acc": 0.5}, examples={"arith/acc": examples})
    with pytest.raises(StoreError, match=r"keeps no per-example scores \(arith/acc\)"):
        store.append(CommitRuns("a" * 40, "main", 1_800_000_000.0, (run,)))
