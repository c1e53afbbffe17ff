"""A baseline read from the policy's history store (``baseline: {history: {...}}``):
``history_source`` chooses the commit with git, ``ancestry`` the recorded runs."""

from __future__ import annotations

from gate.policy.recorded import HistorySpec
from gate.sources import RunSource


def open_history(spec: HistorySpec) -> RunSource:
    from gate.sources.history.history_source import HistoryGit, HistorySource
    from gate.stores import open_store

    return HistorySource(spec, open_store(spec.store), HistoryGit(spec.folder))
