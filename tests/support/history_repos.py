"""Real git repositories for the history tests: a bare ``file://`` remote and clones of it,
as CI jobs have them, plus run files and policies to record and gate with."""

from __future__ import annotations

import json
from pathlib import Path

from support.git_commands import git


def bare_remote(tmp_path: Path) -> str:
    """A bare repository with one commit on main; returns its file:// address."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    seed = clone(f"file://{remote}", tmp_path / "seed")
    commit(seed, "first")
    git(seed, "push", "-q", "origin", "HEAD:refs/heads/main")
    return f"file://{remote}"


def clone(url: str, path: Path) -> Path:
    git(path.parent, "clone", "-q", url, str(path))
    git(path, "checkout", "-q", "-B", "main")
    return path


def commit(repo: Path, message: str) -> str:
    """A new commit of the checked-out branch (a file changes, as in a real project)."""
    (repo / "model.txt").write_text(message + "\n", encoding="utf-8")
    git(repo, "add", "model.txt")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def write_runs(path: Path, values: list[float], *, metric: str = "accuracy") -> Path:
    """A rungate run file with one run per value."""
    runs = [
        {"id": f"{path.stem}-{index}", "metrics": {metric: value}, "params": {"seed": index}}
        for index, value in enumerate(values)
    ]
    path.write_text(json.dumps({"runs": runs}), encoding="utf-8")
    return path


def write_policy(folder: Path, store: str, baseline: str, *, tolerance: float = 0.01) -> Path:
    """A policy with one metric (accuracy, higher is better) beside the runs."""
    policy = folder / "rungate.yml"
    policy.write_text(
        f"history: {store}\n"
        f"baseline: {baseline}\n"
        f"metrics:\n  accuracy: {{direction: higher, tolerance: {tolerance}}}\n",
        encoding="utf-8",
    )
    return policy
