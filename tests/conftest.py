"""Every test starts outside any CI system and off the network.

The project's own CI runs inside GitHub Actions: without this, its variables
would make every ``rungate check`` in the tests write to the real job summary.
"""

from __future__ import annotations

import os

import pytest

CI_PREFIXES = ("GITHUB_", "GITLAB_", "CI_", "RUNGATE_", "RUNNER_")
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(CI_PREFIXES) or name.upper() in PROXY_VARIABLES or name == "CI":
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver listens on loopback only, on a free port."""
    return ("127.0.0.1", 0)
