"""History stores: where ``rungate record`` keeps main's runs, commit by commit.

Every store is a ``HistoryStore``: ``append`` adds one recording (a ``CommitRuns``:
the runs of one commit, with its branch and time) and ``read`` returns every
recording, oldest first, with the duplicates marked, and one warning line for
each record it had to skip (corrupt, hand-edited) so that no other run is lost.
The kinds are ``git_branch`` (a data branch pushed to a remote), ``folder_store``
(files in a folder) and ``mlflow_store`` (runs logged to a tracking server);
``record_file`` is the file format the first two keep. ``open_store`` makes the
store the policy's ``history:`` names; tests pass their own ``HistoryStore``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from gate.model import CommitRuns
from gate.policy.recorded import FolderStoreSpec, GitStoreSpec, StoreSpec


@dataclass(frozen=True)
class StoreContents:
    """What a store holds: its records, oldest recording first, and what it skipped."""

    records: tuple[CommitRuns, ...]
    warnings: tuple[str, ...] = ()  # one line each: where the skipped record is, and why


class HistoryStore(Protocol):
    """A place that keeps recorded run sets."""

    def describe(self) -> str:
        """A short name for reports and messages (``git branch rungate-history of origin``)."""
        ...

    def append(self, record: CommitRuns) -> str:
        """Add one recording; returns where it landed. Never overwrites another."""
        ...

    def read(self) -> StoreContents:
        """Every recording, oldest first, duplicates marked; a corrupt one is a warning."""
        ...


def open_store(spec: StoreSpec) -> HistoryStore:
    """The store the policy's ``history:`` describes; nothing is read or written yet."""
    if isinstance(spec, GitStoreSpec):
        from gate.stores.git_branch import GitBranchStore

        return GitBranchStore(spec.folder, branch=spec.branch, remote=spec.remote)
    if isinstance(spec, FolderStoreSpec):
        from gate.stores.folder_store import FolderStore

        return FolderStore(spec.path)
    from gate.stores.mlflow_store import MlflowStore

    return MlflowStore(spec.tracking_uri, spec.experiment)
