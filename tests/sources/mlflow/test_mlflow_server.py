"""Runs from a real ``mlflow server`` (SQLite backend, 127.0.0.1), logged by MLflow's own client.

One server serves the whole module; every test logs into its own experiment.
A recording proxy in front of it shows what rungate sent (paging, histories,
credentials) and can answer with errors or delays.
"""

from __future__ import annotations

import base64
import itertools
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from support.mlflow_logging import BASE_MS, RunSpec, log_runs
from support.mlflow_servers import free_port, mlflow_server, recording_proxy, require_mlflow
from support.sources import open_side

from gate.cli import main
from gate.errors import NoRunsError, RunSetError
from gate.retrying_http import RetryPolicy
from gate.sources.mlflow.runs import MlflowQuery
from gate.sources.mlflow.server import MlflowServerSource

_names = itertools.count()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_mlflow()
    started = time.monotonic()
    with mlflow_server(tmp_path_factory.mktemp("mlflow-server")) as url:
        print(f"mlflow server healthy after {time.monotonic() - started:.1f} s")
        yield url


@pytest.fixture(autouse=True)
def no_mlflow_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MLFLOW_TRACKING_PASSWORD", raising=False)


def experiment(server: str, runs: list[RunSpec]) -> tuple[str, dict[str, str]]:
    name = f"exp-{next(_names)}"
    return name, log_runs(server, name, runs)


def policy(tmp_path: Path, source: str, metrics: str = "acc: {direction: higher}") -> Path:
    path = tmp_path / "gate.yml"
    path.write_text(f"candidate:\n  {source}\nbaseline: base.json\nmetrics:\n  {metrics}\n")
    return path


def load_candidate(
    tmp_path: Path, source: str, histories: frozenset[str] = frozenset()
) -> list[str]:
    loaded = open_side(policy(tmp_path, source), "candidate")
    assert loaded is not None
    return [run.id for run in loaded.load(histories).runs]


def branch_runs() -> list[RunSpec]:
    runs = [
        RunSpec(
            f"main-{i}",
            start=10 * i,
            tags={"branch": "main"},
            params={"seed": str(i)},
            metrics={"acc": 0.90 + i / 100},
        )
        for i in range(6)
    ]
    runs.insert(3, RunSpec("feature-0", start=25, tags={"branch": "feature"}, metrics={"acc": 0.5}))
    runs.append(RunSpec("main-gone", start=99, tags={"branch": "main"}, deleted=True))
    return runs


def test_selection_by_tag_and_latest(server: str, tmp_path: Path) -> None:
    name, ids = experiment(server, branch_runs())
    source = open_side(
        policy(
            tmp_path,
            f"mlflow: {{tracking_uri: '{server}', experiment: {name}, "
            "filter: \"tags.branch = 'main'\", latest: 3}",
        ),
        "candidate",
    )
    assert source is not None
    runs = source.load().runs
    # Newest first; the deleted run and the feature run are not there.
    assert [run.id for run in runs] == [ids["main-5"], ids["main-4"], ids["main-3"]]
    newest = runs[0]
    assert newest.metrics == {"acc": pytest.approx(0.95)}
    assert newest.params == {"seed": "5"}
    assert newest.tags["branch"] == "main"
    assert newest.tags["mlflow.runName"] == "main-5"
    assert newest.start_time == (BASE_MS + 50_000) / 1000  # seconds, as the file readers keep
    assert "main-5" in newest.origin
    assert source.describe() == (
        f"mlflow {server} (experiment '{name}', filter \"tags.branch = 'main'\", latest 3)"
    )


def test_all_runs_without_latest(server: str, tmp_path: Path) -> None:
    name, ids = experiment(server, branch_runs())
    loaded = load_candidate(tmp_path, f"mlflow: {{tracking_uri: '{server}', experiment: {name}}}")
    assert sorted(loaded) == sorted(run_id for key, run_id in ids.items() if key != "main-gone")


def test_experiment_by_id_and_status_filter(server: str, tmp_path: Path) -> None:
    runs = [RunSpec("ok", start=1), RunSpec("failed", start=2, status="FAILED")]
    name, ids = experiment(server, runs)
    experiment_id = experiment_id_of(server, name)
    loaded = load_candidate(
        tmp_path,
        f"mlflow: {{tracking_uri: '{server}', experiment_id: {experiment_id}, "
        "filter: \"attributes.status = 'FINISHED'\"}",
    )
    assert loaded == [ids["ok"]]


def experiment_id_of(server: str, name: str) -> str:
    answer = requests.get(
        f"{server}/api/2.0/mlflow/experiments/get-by-name",
        params={"experiment_name": name},
        timeout=10,
    )
    return str(answer.json()["experiment"]["experiment_id"])


def test_paging_over_more_runs_than_a_page(server: str, tmp_path: Path) -> None:
    name, ids = experiment(
        server, [RunSpec(f"r{i}", start=i, metrics={"acc": i}) for i in range(23)]
    )
    with recording_proxy(server) as (proxy, state):
        loaded = load_candidate(
            tmp_path, f"mlflow: {{tracking_uri: '{proxy}', experiment: {name}, max_results: 4}}"
        )
        searches = [r for r in state.requests if r.path.endswith("/runs/search")]
    assert sorted(loaded) == sorted(ids.values())
    assert len(loaded) == 23
    assert len(searches) == 6  # 4 + 4 + 4 + 4 + 4 + 3


def test_latest_stops_paging_early(server: str, tmp_path: Path) -> None:
    name, ids = experiment(
        server, [RunSpec(f"r{i}", start=i, metrics={"acc": i}) for i in range(12)]
    )
    with recording_proxy(server) as (proxy, state):
        loaded = load_candidate(
            tmp_path,
            f"mlflow: {{tracking_uri: '{proxy}', experiment: {name}, max_results: 4, latest: 6}}",
        )
        searches = [r for r in state.requests if r.path.endswith("/runs/search")]
    assert loaded == [ids[f"r{i}"] for i in range(11, 5, -1)]
    assert len(searches) == 2  # 4, then the 2 still wanted


def test_histories_only_for_the_named_metrics(server: str, tmp_path: Path) -> None:
    # Logged out of step order; the series comes back in step order.
    history = [(2, 0.7), (0, 0.5), (1, 0.9), (3, 0.6)]
    runs = [
        RunSpec(f"r{i}", start=i, metrics={"acc": 0.9}, histories={"loss": history})
        for i in range(3)
    ]
    name, _ = experiment(server, runs)
    with recording_proxy(server) as (proxy, state):
        source = open_side(
            policy(tmp_path, f"mlflow: {{tracking_uri: '{proxy}', experiment: {name}}}"),
            "candidate",
        )
        assert source is not None
        loaded = source.load(frozenset({"loss", "not-logged"}))
        histories = [r.path for r in state.requests if "/metrics/get-history" in r.path]
    assert len(histories) == 3 and all("metric_key=loss" in path for path in histories)
    for run in loaded.runs:
        assert run.series == {"loss": (0.5, 0.9, 0.7, 0.6)}
        assert run.metrics == {"acc": 0.9}  # the latest value, no history asked


def test_aggregate_of_histories_end_to_end(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The best (max) accuracy is equal on both sides, the last one is much worse for the
    # candidate: `aggregate: max` passes, `aggregate: last` fails.
    def runs(branch: str, last: float) -> list[RunSpec]:
        return [
            RunSpec(
                f"{branch}-{i}",
                start=i,
                tags={"branch": branch},
                histories={"acc": [(0, 0.5), (1, 0.90 + i / 1000), (2, last + i / 1000)]},
            )
            for i in range(5)
        ]

    name, _ = experiment(server, runs("main", 0.89) + runs("pr", 0.60))
    source = (
        f"{{mlflow: {{tracking_uri: '{server}', experiment: {name}, "
        "filter: \"tags.branch = '%s'\"}}"
    )
    for aggregate, status in (("max", 0), ("last", 1)):
        path = tmp_path / f"{aggregate}.yml"
        path.write_text(
            f"candidate: {source % 'pr'}\nbaseline: {source % 'main'}\n"
            f"metrics:\n  acc: {{direction: higher, tolerance: 0.01, aggregate: {aggregate}}}\n"
        )
        assert main(["check", "--policy", str(path)]) == status, capsys.readouterr()


def test_bearer_token(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name, ids = experiment(server, [RunSpec("r", start=1)])
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", "s3cret-token")
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "ignored-when-a-token-is-set")
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", "ignored")
    with recording_proxy(server) as (proxy, state):
        loaded = load_candidate(
            tmp_path, f"mlflow: {{tracking_uri: '{proxy}', experiment: {name}}}"
        )
    assert loaded == [ids["r"]]
    assert {r.headers.get("Authorization") for r in state.requests} == {"Bearer s3cret-token"}


def test_basic_auth(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name, ids = experiment(server, [RunSpec("r", start=1)])
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "alice")
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", "pa:ss")
    with recording_proxy(server) as (proxy, state):
        loaded = load_candidate(
            tmp_path, f"mlflow: {{tracking_uri: '{proxy}', experiment: {name}}}"
        )
    expected = "Basic " + base64.b64encode(b"alice:pa:ss").decode()
    assert loaded == [ids["r"]]
    assert {r.headers.get("Authorization") for r in state.requests} == {expected}


def test_no_credentials_no_header(server: str, tmp_path: Path) -> None:
    name, _ = experiment(server, [RunSpec("r", start=1)])
    with recording_proxy(server) as (proxy, state):
        load_candidate(tmp_path, f"mlflow: {{tracking_uri: '{proxy}', experiment: {name}}}")
    assert all("Authorization" not in r.headers for r in state.requests)


def test_credentials_never_in_messages(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", "s3cret-token")
    with recording_proxy(server) as (proxy, state):
        state.failures = [(403, json.dumps({"error_code": "PERMISSION_DENIED", "message": "no"}))]
        in_url = proxy.replace("http://", "http://bob:hunter2@")
        path = policy(tmp_path, f"mlflow: {{tracking_uri: '{in_url}/', experiment: x}}")
        assert main(["check", "--policy", str(path)]) == 2
    err = capsys.readouterr().err
    assert "PERMISSION_DENIED: no" in err
    assert "s3cret" not in err and "hunter2" not in err and "bob" not in err


def error_of(tmp_path: Path, source: str) -> RunSetError:
    loaded = open_side(policy(tmp_path, source), "candidate")
    assert loaded is not None
    with pytest.raises(RunSetError) as caught:
        loaded.load()
    return caught.value


def test_unknown_experiment_has_the_servers_message(server: str, tmp_path: Path) -> None:
    error = error_of(tmp_path, f"mlflow: {{tracking_uri: '{server}', experiment: no-such-exp}}")
    assert str(error) == (
        f"mlflow {server}: no experiment named 'no-such-exp' on the server "
        "(RESOURCE_DOES_NOT_EXIST: Could not find experiment with name 'no-such-exp')"
    )


def test_filter_syntax_error_has_the_servers_message(server: str, tmp_path: Path) -> None:
    name, _ = experiment(server, [RunSpec("r", start=1)])
    error = error_of(
        tmp_path, f"mlflow: {{tracking_uri: '{server}', experiment: {name}, filter: 'tags.x ='}}"
    )
    assert "HTTP 400: INVALID_PARAMETER_VALUE: " in error.message
    assert "Invalid clause(s) in filter string" in error.message


def test_empty_result_prints_the_query(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, _ = experiment(server, branch_runs())
    path = policy(
        tmp_path,
        f"mlflow: {{tracking_uri: '{server}', experiment: {name}, "
        "filter: \"tags.branch = 'nope'\"}",
    )
    assert main(["check", "--policy", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"rungate: error: mlflow {server}: no runs found for experiment '{name}', "
    )
    assert "filter \"tags.branch = 'nope'\" (experiment id " in err
    assert err.count("\n") == 1


def test_retries_server_errors_then_succeeds(server: str) -> None:
    name, ids = experiment(server, [RunSpec("r", start=1)])
    slept: list[float] = []
    with recording_proxy(server) as (proxy, state):
        state.failures = [(503, "busy"), (502, "bad gateway")]
        source = MlflowServerSource(proxy, MlflowQuery(experiment=name), sleep=slept.append)
        assert [run.id for run in source.load().runs] == [ids["r"]]
    assert slept == [0.5, 1.0]


def test_gives_up_after_the_attempts(server: str) -> None:
    slept: list[float] = []
    with recording_proxy(server) as (proxy, state):
        state.failures = [
            (500, json.dumps({"error_code": "INTERNAL_ERROR", "message": "db down"}))
        ] * 9
        source = MlflowServerSource(
            proxy, MlflowQuery(experiment="x"), retry=RetryPolicy(attempts=3), sleep=slept.append
        )
        with pytest.raises(
            RunSetError, match=r"HTTP 500: INTERNAL_ERROR: db down \(gave up after 3 attempts\)"
        ):
            source.load()
        assert len(state.requests) == 3
    assert slept == [0.5, 1.0]


def test_total_time_is_bounded(server: str) -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    with recording_proxy(server) as (proxy, state):
        state.failures = [(503, "busy")] * 9
        retry = RetryPolicy(attempts=10, first_backoff=4, max_backoff=100, max_total_seconds=10)
        source = MlflowServerSource(
            proxy, MlflowQuery(experiment="x"), retry=retry, sleep=sleep, clock=lambda: now[0]
        )
        with pytest.raises(RunSetError, match="a retry would pass the 10 s limit"):
            source.load()
        assert len(state.requests) == 2  # waits 4 s, then 8 s more would pass 10 s
    assert now[0] == 4.0


def test_timeout_is_an_input_error(server: str) -> None:
    with recording_proxy(server) as (proxy, state):
        state.delay = 1.0
        retry = RetryPolicy(attempts=2, timeout=(1.0, 0.2))
        source = MlflowServerSource(
            proxy, MlflowQuery(experiment="x"), retry=retry, sleep=lambda s: None
        )
        with pytest.raises(
            RunSetError, match=r"no answer within 0.2 s \(gave up after 2 attempts\)"
        ):
            source.load()


def test_an_answer_that_is_not_json(server: str) -> None:
    with recording_proxy(server) as (proxy, state):
        state.failures = [(200, "<html>a login page</html>")]
        source = MlflowServerSource(proxy, MlflowQuery(experiment="x"))
        with pytest.raises(RunSetError, match=r"the answer is not JSON .*; is this the server's"):
            source.load()


def test_unreachable_server() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    source = MlflowServerSource(url, MlflowQuery(experiment="x"), sleep=lambda s: None)
    with pytest.raises(RunSetError) as caught:
        source.load()
    assert caught.value.message.startswith(
        f"GET {url}/api/2.0/mlflow/experiments/get-by-name: cannot reach the server ("
    )
    assert "gave up after 4 attempts" in caught.value.message


def test_empty_result_is_a_no_runs_error(server: str) -> None:
    name, _ = experiment(server, [RunSpec("r", start=1, tags={"branch": "main"})])
    query = MlflowQuery(experiment=name, filter="tags.branch = 'dev'")
    with pytest.raises(NoRunsError):
        MlflowServerSource(server, query).load()


def test_git_commit_narrows_the_servers_query(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit = "tags.mlflow.source.git.commit"
    runs = [
        RunSpec(f"{sha}-{i}", start=i, tags={"mlflow.source.git.commit": sha, "branch": "main"})
        for i, sha in enumerate(["aaa", "bbb", "aaa", "bbb", "ccc"])
    ]
    name, ids = experiment(server, runs)
    monkeypatch.setenv("GITHUB_SHA", "bbb")
    spec = f"{{mlflow: {{tracking_uri: '{server}', experiment: {name}}}, git: {{commit: head}}}}"
    source = open_side(policy(tmp_path, spec), "candidate")
    assert source is not None
    loaded = source.load()
    assert [run.id for run in loaded.runs] == [ids["bbb-3"], ids["bbb-1"]]
    assert loaded.description == (
        f"mlflow {server} (experiment '{name}'); runs of commit bbb (GITHUB_SHA, by {commit})"
    )
