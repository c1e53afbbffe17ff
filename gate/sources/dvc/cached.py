"""Asking DVC itself for a metrics file at a git revision, when git does not hold it.

DVC keeps a stage's metrics file in its cache by default (``cache: true``), and
git then holds only ``dvc.lock``'s hash of it, so ``git show REV:metrics.json``
fails. ``dvc metrics diff --all --json --targets FILE -- REV REV`` reads the file
at REV from DVC's cache (local, or a remote ``dvc pull`` filled) and gives every
value, flattened with dots as rungate names them. The ``dvc`` program is run as
users have it installed; rungate never imports DVC.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from gate.errors import RunSetError

TIMEOUT = 300.0


def dvc_installed() -> bool:
    return shutil.which("dvc") is not None


def metrics_at(folder: Path, rev: str, file: str) -> dict[str, object]:
    """The values of the metrics file ``file`` at ``rev``: flattened name -> value."""
    command = ["dvc", "metrics", "diff", "--all", "--json", "--targets", file, "--", rev, rev]
    try:
        done = subprocess.run(
            command, cwd=folder, capture_output=True, check=False, timeout=TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RunSetError(f"dvc metrics diff failed: {err}", source=str(folder / file)) from None
    lines = [line for line in done.stderr.decode(errors="replace").splitlines() if line.strip()]
    if done.returncode != 0:
        reason = lines[0] if lines else f"exit status {done.returncode}"
        raise RunSetError(f"dvc metrics diff at {rev} failed: {reason}", source=str(folder / file))
    try:
        answer = json.loads(done.stdout or b"{}")
    except ValueError:
        raise RunSetError("dvc metrics diff gave no JSON", source=str(folder / file)) from None
    values = answer.get(file) if isinstance(answer, dict) else None
    if not isinstance(values, dict) or not values:
        raise RunSetError(
            f"DVC has no values of {file} at {rev} (is it in the cache? `dvc pull` fetches it)",
            source=str(folder / file),
        )
    return {
        str(name): change.get("new") for name, change in values.items() if isinstance(change, dict)
    }
