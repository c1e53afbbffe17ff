"""Real servers on 127.0.0.1 for the source tests: MLflow's own server, and a recording proxy.

``start_mlflow_server`` runs ``mlflow server`` with a SQLite backend in a
temporary folder. ``RecordingProxy`` sits in front of any server: it records
every request's method, path and headers, can answer the first requests with
an error status or a delay, and forwards the rest.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

STARTUP_SECONDS = 120.0
# Read when the tests are collected: the tests' own fixtures remove CI variables later.
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_mlflow() -> None:
    """Skip without MLflow, except in CI (``CI=true``), where a missing MLflow is a failure."""
    if importlib.util.find_spec("mlflow") is not None:
        return
    message = "mlflow is not installed: pip install -e '.[test]'"
    if IN_CI:
        pytest.fail(f"{message} (CI must run the MLflow tests)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def mlflow_server(folder: Path) -> Iterator[str]:
    """``mlflow server`` on a free loopback port, backed by SQLite in ``folder``; yields its URL."""
    port = free_port()
    log_path = folder / "server.log"
    command = [
        sys.executable,
        "-m",
        "mlflow",
        "server",
        "--backend-store-uri",
        f"sqlite:///{folder / 'mlflow.db'}",
        "--default-artifact-root",
        str(folder / "artifacts"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
    ]
    url = f"http://127.0.0.1:{port}"
    # No background job runner (huey): the tests need none, and it slows start and stop.
    env = {**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
    with log_path.open("wb") as log:
        # Its own process group, so that teardown stops the server's workers too.
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    try:
        _wait_healthy(url, process, log_path)
        yield url
    finally:
        _stop(process)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace")[-2000:]
            pytest.fail(f"mlflow server exited with {process.returncode}:\n{tail}")
        try:
            if requests.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    tail = log_path.read_text(errors="replace")[-2000:]
    pytest.fail(f"mlflow server not healthy after {STARTUP_SECONDS:g} s:\n{tail}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class ProxyState:
    target: str
    requests: list[Recorded] = field(default_factory=list)
    failures: list[tuple[int, str]] = field(default_factory=list)  # (status, body), served first
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _ProxyServer

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        state = self.server.state
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with state.lock:
            state.requests.append(Recorded(self.command, self.path, dict(self.headers.items())))
            failure = state.failures.pop(0) if state.failures else None
        if state.delay:
            time.sleep(state.delay)
        if failure is not None:
            self._answer(failure[0], failure[1].encode(), "application/json")
            return
        headers = {"Content-Type": self.headers.get("Content-Type", "application/json")}
        answer = requests.request(
            self.command, state.target + self.path, data=body or None, headers=headers, timeout=30
        )
        self._answer(answer.status_code, answer.content, answer.headers.get("Content-Type", ""))

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # unless the client gave up waiting, as timeout tests want

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output quiet


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    state: ProxyState


@contextmanager
def recording_proxy(target: str) -> Iterator[tuple[str, ProxyState]]:
    """A proxy on a free loopback port in front of ``target``; yields its URL and its state."""
    server = _ProxyServer(("127.0.0.1", 0), _Handler)
    server.state = ProxyState(target=target)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
