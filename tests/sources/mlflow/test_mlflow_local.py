"""Runs from local MLflow stores (``mlruns/`` and ``sqlite:///``) written by MLflow's own client.

Both stores get the same runs, logged in a child process (MLflow 3 refuses the
file store unless ``MLFLOW_ALLOW_FILE_STORE`` is set, and its SQLAlchemy store
warns), and every test runs against both.
"""

from __future__ import annotations

import hashlib
import math
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.mlflow_logging import BASE_MS, RunSpec, log_runs_in_child
from support.mlflow_servers import require_mlflow
from support.sources import open_side

from gate.cli import main
from gate.errors import NoRunsError, PolicyError, RunSetError
from gate.model import Run
from gate.policy import load_policy

RUNS = [
    *(
        RunSpec(
            f"main-{i}",
            start=10 * i,
            tags={"branch": "main", "mlflow.source.git.commit": f"c{i % 2}"},
            params={"seed": str(i), "dataset": "digits"},
            metrics={"acc": 0.90 + i / 100},
            histories={"loss": [(2, 0.3 + i), (0, 0.9), (1, 0.5)]},
        )
        for i in range(5)
    ),
    RunSpec("dev-0", start=15, tags={"branch": "dev"}, metrics={"acc": 0.5}),
    RunSpec("crashed", start=60, tags={"branch": "main"}, status="FAILED"),
    RunSpec("gone", start=70, tags={"branch": "main"}, metrics={"acc": 0.1}, deleted=True),
    RunSpec("diverged", start=5, tags={"branch": "nan"}, metrics={"acc": math.nan, "up": math.inf}),
]


@dataclass(frozen=True)
class Store:
    uri: str  # as a policy beside the store writes it
    location: Path
    ids: dict[str, str]


@pytest.fixture(scope="module", params=["mlruns", "sqlite"])
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    require_mlflow()
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "mlruns":
        uri, location = "mlruns", folder / "mlruns"
        logging_uri = location.as_uri()
    else:
        uri, location = "sqlite:///mlflow.db", folder / "mlflow.db"
        logging_uri = f"sqlite:///{location}"
    experiments = {"digits": RUNS, "old": [RunSpec("old-0", start=1, metrics={"acc": 1.0})]}
    ids = log_runs_in_child(logging_uri, experiments, deleted="old")
    yield Store(uri, location, ids["digits"])


def write_policy(store: Store, spec: str, *, metrics: str = "acc: {direction: higher}") -> Path:
    path = store.location.parent / "gate.yml"
    path.write_text(
        f"candidate: {{mlflow: {{tracking_uri: '{store.uri}', {spec}}}}}\n"
        f"baseline: base.json\nmetrics:\n  {metrics}\n"
    )
    return path


def load(store: Store, spec: str, histories: frozenset[str] = frozenset()) -> list[Run]:
    source = open_side(write_policy(store, spec), "candidate")
    assert source is not None
    return list(source.load(histories).runs)


def names(store: Store, runs: list[Run]) -> list[str]:
    by_id = {run_id: name for name, run_id in store.ids.items()}
    return [by_id[run.id] for run in runs]


def test_reads_a_run_as_mlflow_logged_it(store: Store) -> None:
    (run,) = load(store, "experiment: digits, filter: \"params.seed = '3'\"")
    assert run.id == store.ids["main-3"]
    assert run.metrics == {
        "acc": pytest.approx(0.93),
        "loss": pytest.approx(3.3),
    }  # the latest step's value
    assert run.params == {"seed": "3", "dataset": "digits"}
    assert run.tags["branch"] == "main"
    assert run.tags["mlflow.runName"] == "main-3"
    assert run.start_time == (BASE_MS + 30_000) / 1000
    assert run.origin == f"mlflow {store.uri} experiment 'digits', run 'main-3' ({run.id})"


def test_filter_by_tag_newest_first_and_latest(store: Store) -> None:
    runs = load(store, "experiment: digits, filter: \"tags.branch = 'main'\", latest: 3")
    # Newest first; the deleted run is never read.
    assert names(store, runs) == ["crashed", "main-4", "main-3"]


def test_status_filter_and_and(store: Store) -> None:
    spec = (
        "experiment: digits, filter: \"tags.branch = 'main' AND attributes.status = 'FINISHED' "
        "and tags.`mlflow.source.git.commit` != 'c1'\""
    )
    assert names(store, load(store, spec)) == ["main-4", "main-2", "main-0"]


def test_metric_comparison_and_order_by(store: Store) -> None:
    spec = (
        "experiment: digits, filter: 'metrics.acc > 0.915', order_by: [metrics.acc ASC], latest: 2"
    )
    assert names(store, load(store, spec)) == ["main-2", "main-3"]


def test_histories_in_step_order(store: Store) -> None:
    runs = load(store, "experiment: digits, filter: \"params.seed = '1'\"", frozenset({"loss"}))
    assert runs[0].series == {"loss": (0.9, 0.5, 1.3)}
    assert "loss" not in runs[0].metrics


def test_nan_and_infinity(store: Store) -> None:
    (run,) = load(store, "experiment: digits, filter: \"tags.branch = 'nan'\"")
    assert math.isnan(run.metrics["acc"])
    assert run.metrics["up"] == math.inf


def test_experiment_by_id(store: Store) -> None:
    run_id = store.ids["dev-0"]
    if store.location.is_dir():
        found = next(path.name for path in store.location.iterdir() if (path / run_id).is_dir())
    else:
        query = "SELECT experiment_id FROM runs WHERE run_uuid = ?"
        found = str(sqlite3.connect(store.location).execute(query, (run_id,)).fetchone()[0])
    assert len(load(store, f"experiment_id: '{found}'")) == len(RUNS) - 1


def test_unknown_and_deleted_experiments(store: Store) -> None:
    with pytest.raises(RunSetError, match="the experiment named 'nope' does not exist"):
        load(store, "experiment: nope")
    with pytest.raises(RunSetError, match="the experiment named 'old' is deleted"):
        load(store, "experiment: old")


def test_empty_result_prints_the_query(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(NoRunsError) as caught:
        load(store, "experiment: digits, filter: \"tags.branch = 'nope'\"")
    assert str(caught.value) == (
        f"mlflow {store.uri}: no runs found for experiment 'digits', "
        "filter \"tags.branch = 'nope'\" (8 active runs in the experiment)"
    )
    policy = write_policy(store, "experiment: digits, filter: \"tags.branch = 'nope'\"")
    assert main(["check", "--policy", str(policy)]) == 2
    assert "no runs found" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("filter: \"tags.a LIKE 'x%'\"", "expected a comparison after tags.a, found 'LIKE'"),
        ("filter: \"tags.a = 'x' or tags.b = 'y'\"", "expected `and` between clauses, found 'or'"),
        ("filter: 'params.lr > 0.1'", "params.lr > 0.1 is not supported in a local store"),
        ("filter: \"attributes.artifact_uri = 'x'\"", "attributes.artifact_uri is not supported"),
        ('filter: "tags.a = \'x"', "cannot read"),
        ("filter: 'metrics.acc > high'", "metrics.acc compares with a number, not high"),
        ("order_by: 'metrics.acc sideways'", "an order_by item is `NAME [ASC|DESC]`"),
    ],
)
def test_unsupported_filters_are_policy_errors(store: Store, spec: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(write_policy(store, f"experiment: digits, {spec}"))
    assert message in str(caught.value)
    assert "(in a local MLflow store)" in str(caught.value)
    assert str(caught.value).startswith(
        f"{store.location.parent / 'gate.yml'}:1: candidate.mlflow."
    )


def test_the_store_is_not_changed(store: Store) -> None:
    def digest() -> str:
        files = [store.location] if store.location.is_file() else sorted(store.location.rglob("*"))
        return hashlib.sha256(b"".join(f.read_bytes() for f in files if f.is_file())).hexdigest()

    before = digest()
    load(store, "experiment: digits", frozenset({"loss"}))
    assert digest() == before


def test_tracking_uri_from_the_environment(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # From the environment, a relative store is relative to the working directory.
    monkeypatch.chdir(store.location.parent)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", store.uri)
    path = Path("elsewhere") / "gate.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        "candidate: {mlflow: {experiment: digits}}\nmetrics: {acc: {direction: higher}}\n"
    )
    source = open_side(path, "candidate")
    assert source is not None
    assert len(source.load().runs) == len(RUNS) - 1


def test_a_missing_store(tmp_path: Path) -> None:
    for uri, message in (("mlruns", "no such folder"), ("sqlite:///none.db", "no such file")):
        path = tmp_path / "gate.yml"
        path.write_text(
            f"candidate: {{mlflow: {{tracking_uri: '{uri}', experiment: x}}}}\n"
            "metrics: {acc: {direction: higher}}\n"
        )
        source = open_side(path, "candidate")
        assert source is not None
        with pytest.raises(RunSetError, match=message):
            source.load()


def test_not_an_mlflow_database(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.commit()
    path = tmp_path / "gate.yml"
    path.write_text(
        "candidate: {mlflow: {tracking_uri: 'sqlite:///other.db', experiment: x}}\n"
        "metrics: {acc: {direction: higher}}\n"
    )
    source = open_side(path, "candidate")
    assert source is not None
    with pytest.raises(RunSetError, match="cannot read it as an MLflow database: no such table"):
        source.load()


def test_a_malformed_metric_file(tmp_path: Path) -> None:
    run = tmp_path / "mlruns" / "1" / "abc"
    (run / "metrics").mkdir(parents=True)
    (tmp_path / "mlruns" / "1" / "meta.yaml").write_text("experiment_id: '1'\nname: e\n")
    (run / "meta.yaml").write_text(
        "run_id: abc\nstatus: 3\nstart_time: 1\nlifecycle_stage: active\n"
    )
    (run / "metrics" / "acc").write_text("1 0.5 0\n2 oops 1\n")
    path = tmp_path / "gate.yml"
    path.write_text(
        "candidate: {mlflow: {tracking_uri: mlruns, experiment: e}}\n"
        "metrics: {acc: {direction: higher}}\n"
    )
    source = open_side(path, "candidate")
    assert source is not None
    with pytest.raises(RunSetError) as caught:
        source.load()
    assert (
        str(caught.value)
        == f"{run / 'metrics' / 'acc'}:2: not a `timestamp value step` line: '2 oops 1'"
    )
