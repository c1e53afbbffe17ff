"""The few git questions sources ask, behind one small interface tests can replace.

``SubprocessGit`` runs the ``git`` program (no shell) in a folder of the
repository; every failure it cannot answer with ``None`` is a ``RunSetError``
that quotes git's own message.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from gate.errors import RunSetError

TIMEOUT = 60.0


@dataclass(frozen=True)
class Commit:
    sha: str
    time: float  # committer time, epoch seconds


class Git(Protocol):
    def resolve(self, rev: str) -> str | None:
        """The full commit id ``rev`` names, or None if it names no commit."""
        ...

    def commit(self, rev: str) -> Commit | None:
        """The commit ``rev`` names, with its time, or None if it names no commit."""
        ...

    def merge_base(self, one: str, other: str) -> str | None:
        """The best common ancestor of two revisions, or None if there is none to be found."""
        ...

    def show(self, rev: str, path: str) -> bytes:
        """The content of ``path`` (relative to the folder git runs in) at ``rev``."""
        ...

    def log(self, rev: str, path: str, count: int) -> list[Commit]:
        """The newest ``count`` commits of ``rev`` that changed ``path``, newest first."""
        ...


class SubprocessGit:
    """Answers by running ``git`` in ``folder``."""

    def __init__(self, folder: Path):
        self.folder = folder

    def resolve(self, rev: str) -> str | None:
        done = self._run(
            "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"
        )
        return done.stdout.decode().strip() or None if done.returncode == 0 else None

    def commit(self, rev: str) -> Commit | None:
        sha = self.resolve(rev)
        if sha is None:
            return None
        done = self._run("show", "-s", "--format=%ct", sha)
        return (
            Commit(sha, float(done.stdout.decode().strip() or 0)) if done.returncode == 0 else None
        )

    def merge_base(self, one: str, other: str) -> str | None:
        done = self._run("merge-base", "--end-of-options", one, other)
        return done.stdout.decode().strip() or None if done.returncode == 0 else None

    def show(self, rev: str, path: str) -> bytes:
        done = self._run("show", f"{rev}:./{path}")
        if done.returncode != 0:
            raise RunSetError(
                f"git show {rev}:./{path} failed: {_first_line(done.stderr)}",
                source=str(self.folder / path),
            )
        return done.stdout

    def log(self, rev: str, path: str, count: int) -> list[Commit]:
        done = self._run(
            "log", f"-n{count}", "--format=%H %ct", "--end-of-options", rev, "--", path
        )
        if done.returncode != 0:
            raise RunSetError(
                f"git log {rev} -- {path} failed: {_first_line(done.stderr)}",
                source=str(self.folder / path),
            )
        commits = []
        for line in done.stdout.decode().splitlines():
            sha, _, seconds = line.partition(" ")
            commits.append(Commit(sha, float(seconds)))
        return commits

    def _run(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        command = ["git", "-C", str(self.folder), *args]
        try:
            return subprocess.run(command, capture_output=True, check=False, timeout=TIMEOUT)
        except FileNotFoundError:
            raise RunSetError(
                "git is not installed (or not on PATH)", source=str(self.folder)
            ) from None
        except subprocess.TimeoutExpired:
            raise RunSetError(
                f"git {args[0]} took more than {TIMEOUT:g} s", source=str(self.folder)
            ) from None


def _first_line(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    return lines[0] if lines else "no message"
