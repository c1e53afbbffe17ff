"""A real browser for the pictures' tests: Debian's Chromium, driven by playwright.

``open_page`` loads a local file in headless Chromium with a fresh profile, off the
network: every request that is not the page's own file is refused and recorded,
and so is every console error and uncaught exception, for the test to assert none.
Without Chromium or playwright the tests skip, except under ``CI=true``, where that
is a failure (.ci/run installs Chromium; playwright is in the ``test`` extra).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

# Read when the tests are collected: the tests' own fixtures remove CI variables later.
IN_CI = os.environ.get("CI", "").lower() == "true"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path(*, in_ci: bool = IN_CI, search_path: str | None = None) -> str:
    """Debian's Chromium (looked for on ``search_path``, by default ``$PATH``); a skip
    where there is none, or a failure ``in_ci``."""
    found = shutil.which("chromium", path=search_path) or shutil.which(
        "chromium-browser", path=search_path
    )
    problem = None
    if found is None:
        problem = "Chromium is not installed: apt-get install -y chromium"
    elif importlib.util.find_spec("playwright") is None:
        problem = "playwright is not installed: pip install -e '.[test]'"
    if problem is not None:
        if in_ci:
            pytest.fail(f"{problem} (CI must run the browser tests)")
        pytest.skip(problem)
    assert found is not None
    return found


@dataclass
class Visit:
    """What happened while the page was open."""

    page: Page
    errors: list[str] = field(default_factory=list)  # console errors, uncaught exceptions
    refused: list[str] = field(default_factory=list)  # requests for anything but the page


@contextmanager
def open_page(path: Path, profile: Path, *, width: int = 1200) -> Iterator[Visit]:
    """``path`` loaded (to its load event) in headless Chromium with the profile ``profile``."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as play:
        context = play.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            args=FLAGS,
            headless=True,
            viewport={"width": width, "height": 900},
        )
        try:
            page = context.new_page()
            visit = Visit(page)
            page.on(
                "console",
                lambda message: (
                    visit.errors.append(message.text) if message.type == "error" else None
                ),
            )
            page.on("pageerror", lambda error: visit.errors.append(str(error)))

            def guard(route: Route) -> None:
                if route.request.url == path.as_uri():
                    route.continue_()
                else:
                    visit.refused.append(route.request.url)
                    route.abort()

            page.route("**/*", guard)
            page.goto(path.as_uri(), wait_until="load")
            yield visit
        finally:
            context.close()
