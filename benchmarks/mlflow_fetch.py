"""Fetch 1,000 runs x 20 metrics from a local MLflow server: rungate against MLflow's own client.

Run from the repository root with the test extra installed (it brings mlflow):

    python benchmarks/mlflow_fetch.py [--runs 1000] [--metrics 20] [--repeat 7]

It logs the runs into a temporary SQLite store with MLflow's client, starts
``mlflow server`` on it (127.0.0.1, a free port), then times the same query
(one experiment, a filter matching every run, newest first) three ways, in
this process after a warm-up: rungate's ``MlflowServerSource.load()``,
``mlflow.search_runs`` (a pandas DataFrame, what MLflow's docs show), and
``MlflowClient.search_runs`` paged to the end (entities, no pandas). It also
times a whole ``rungate check`` process against ``mlflow.search_runs`` in a
fresh process (imports included). Prints medians; figures go in docs/sources.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import requests

from gate.sources.mlflow.runs import MlflowQuery
from gate.sources.mlflow.server import MlflowServerSource

EXPERIMENT = "fetch-benchmark"
FILTER = "attributes.status = 'FINISHED'"
ORDER = "attributes.start_time DESC"


def log_runs(store: str, runs: int, metrics: int) -> None:
    warnings.simplefilter("ignore")  # MLflow's SQLAlchemy store warns on import
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param, RunTag

    client = MlflowClient(tracking_uri=store)
    experiment_id = client.create_experiment(EXPERIMENT)
    start = 1_800_000_000_000
    for n in range(runs):
        run = client.create_run(experiment_id, start_time=start + n * 1000, run_name=f"run-{n}")
        client.log_batch(
            run.info.run_id,
            metrics=[Metric(f"m{k}", (n * k) % 97 / 97, start, 0) for k in range(metrics)],
            params=[Param("seed", str(n)), Param("lr", "0.001")],
            tags=[RunTag("branch", "main")],
        )
        client.set_terminated(run.info.run_id)


def start_server(store: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable, "-m", "mlflow", "server", "--backend-store-uri", store,
        "--default-artifact-root", str(folder / "artifacts"),
        "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
    ]  # fmt: skip
    env = {**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(command, stdout=log, stderr=log, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(f"{url}/health", timeout=1).ok:
                return server, url
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"mlflow server did not start; see {folder / 'server.log'}")


def timed(action: Callable[[], int], repeat: int, expected: int) -> list[float]:
    assert action() == expected  # the warm-up checks that every run came back
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def in_process(url: str, repeat: int, runs: int) -> dict[str, list[float]]:
    import mlflow
    from mlflow import MlflowClient

    mlflow.set_tracking_uri(url)
    client = MlflowClient(tracking_uri=url)
    experiment_id = client.get_experiment_by_name(EXPERIMENT).experiment_id  # type: ignore[union-attr]
    query = MlflowQuery(experiment=EXPERIMENT, filter=FILTER)

    def rungate() -> int:
        return len(MlflowServerSource(url, query).load().runs)

    def search_runs() -> int:
        frame = mlflow.search_runs(
            experiment_names=[EXPERIMENT], filter_string=FILTER, order_by=[ORDER]
        )
        return len(frame)

    def client_pages() -> int:
        found, token = 0, None
        while True:
            page = client.search_runs(
                [experiment_id], FILTER, order_by=[ORDER], max_results=1000, page_token=token
            )
            found += len(page)
            token = page.token
            if not token:
                return found

    return {
        "rungate `MlflowServerSource.load()`": timed(rungate, repeat, runs),
        "`mlflow.search_runs` (pandas)": timed(search_runs, repeat, runs),
        "`MlflowClient.search_runs`, all pages": timed(client_pages, repeat, runs),
    }


def fresh_processes(url: str, folder: Path, repeat: int) -> dict[str, list[float]]:
    policy = folder / "gate.yml"
    source = (
        f"{{mlflow: {{tracking_uri: '{url}', experiment: {EXPERIMENT}, filter: \"{FILTER}\"}}}}"
    )
    policy.write_text(
        f"candidate: {source}\nbaseline: {source}\nmetrics: {{m1: {{direction: higher}}}}\n"
    )
    search = (
        f"import mlflow; mlflow.set_tracking_uri({url!r}); print(len(mlflow.search_runs("
        f"experiment_names=[{EXPERIMENT!r}], filter_string={FILTER!r}, order_by=[{ORDER!r}])))"
    )
    commands = {
        "`rungate check` (both sides: 2 fetches)": [
            sys.executable, "-m", "gate", "check", "--policy", str(policy),
        ],
        "`python -c 'mlflow.search_runs(...)'` (1 fetch)": [sys.executable, "-c", search],
    }  # fmt: skip
    results = {}
    for name, command in commands.items():
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run(
                command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            times.append(time.perf_counter() - started)
        results[name] = times
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--metrics", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        store = f"sqlite:///{folder / 'mlflow.db'}"
        started = time.perf_counter()
        log_runs(store, args.runs, args.metrics)
        took = time.perf_counter() - started
        print(f"logged {args.runs} runs x {args.metrics} metrics in {took:.0f} s")
        server, url = start_server(store, folder)
        try:
            results = in_process(url, args.repeat, args.runs)
            results.update(fresh_processes(url, folder, args.repeat))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(f"\n{args.runs} runs x {args.metrics} metrics, median of {args.repeat} (seconds)\n")
    print("| fetch | median | min | max |\n|---|--:|--:|--:|")
    for name, times in results.items():
        print(f"| {name} | {statistics.median(times):.3f} | {min(times):.3f} | {max(times):.3f} |")


if __name__ == "__main__":
    main()
