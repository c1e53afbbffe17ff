"""Sources of run sets: the edges that read runs.

A source is anything that can produce a ``RunSet``. The policy describes one per
side as plain data (``gate.policy.sources``); ``gate.sources.open.open_source``
builds the ``RunSource`` for it, and the command loads it. Each kind has its
own package or module (``files/``, ``mlflow/``, ``dvc/``, ``git/``,
``evallogs/``, ``pytest_benchmark``, ``wandb_csv``); ``selection`` (``where``/``latest``) and
``run_values`` (coercing raw values) are shared by all of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from gate.model import RunSet


class RunSource(Protocol):
    """Where one side's runs come from."""

    def describe(self) -> str:
        """A short human description for reports (``runs/main/ (where tags.branch=main)``)."""
        ...

    def local_paths(self) -> tuple[Path, ...]:
        """The local files and folders it reads, which no report may overwrite."""
        ...

    def load(self, histories: frozenset[str] = frozenset()) -> RunSet:
        """Read the runs; raise ``RunSetError`` when they are missing, malformed or empty.

        ``histories`` names the metrics whose whole step history the policy needs
        (``aggregate`` other than ``last``): a tracking server fetches those into
        ``Run.series``; other metrics need only their last value in ``Run.metrics``.
        """
        ...
