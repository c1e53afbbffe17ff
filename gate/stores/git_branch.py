"""A history store on a data branch of the repository, pushed to a remote.

The branch (``rungate-history`` by default) holds only records, one file per
recording at ``records/<commit>/<time>-<nonce>.json`` (``record_file``), so two
jobs never change the same file and every push is a fast-forward of new files.
A recording is a commit built with git plumbing on the branch's newest commit
(``git_plumbing``): the working tree and the checked-out branch are never
touched, and the job needs only ``contents: write``. When the push is refused
because another job recorded first, the store fetches the branch again, adds its
file on top and pushes again, a bounded number of times.

Reading fetches the branch and reads every record in one ``git cat-file``; a
record that cannot be read is a warning naming it, and the others are kept.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from gate.errors import StoreError
from gate.model import CommitRuns
from gate.stores import StoreContents
from gate.stores.git_plumbing import PlumbingGit
from gate.stores.record_file import (
    SUFFIX,
    decode_record,
    encode_record,
    mark_duplicates,
    record_name,
)

RECORDS = "records"
ATTEMPTS = 8
BACKOFF = 0.25  # seconds before the second attempt; doubled each time, with jitter
README = """\
# rungate history

Runs recorded by `rungate record`: one file per recording, at
`records/<commit>/<time>-<nonce>.json`. Written by rungate only; see
docs/history.md in rungate for the format and for what to do when the
history of the main branch is rewritten.
"""


class GitBranchStore:
    def __init__(
        self,
        folder: Path,
        *,
        branch: str,
        remote: str = "origin",
        attempts: int = ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.branch = branch
        self.remote = remote
        self.attempts = attempts
        self.sleep = sleep
        self.git = PlumbingGit(folder, source=self.describe())
        self.local_ref = f"refs/rungate/{branch}"

    def describe(self) -> str:
        return f"git branch {self.branch} of {self.remote}"

    def append(self, record: CommitRuns) -> str:
        name = f"{RECORDS}/{record_name(record)}"
        content = encode_record(record).encode()
        message = f"rungate: record {record.commit[:12]} of {record.branch}"
        why = ""
        for attempt in range(self.attempts):
            tip = self._fetch()
            files = {name: content} if tip else {name: content, "README.md": README.encode()}
            commit = self.git.commit_with(tip, files, message)
            landed, why = self.git.push(self.remote, commit, self.branch)
            if landed:
                self.git.run("update-ref", self.local_ref, commit)
                return f"{self.branch}:{name}"
            # Another job pushed first: wait a little (jittered, so racing jobs spread
            # out), then build on its commit.
            self.sleep(BACKOFF * 2**attempt * random.uniform(0.5, 1.5))
        raise StoreError(
            f"the push was refused {self.attempts} times ({why}): other jobs kept recording "
            "first, or the branch is protected against this job",
            source=self.describe(),
        )

    def read(self) -> StoreContents:
        tip = self._fetch()
        if tip is None:
            return StoreContents(())
        entries = [
            entry for entry in self.git.tree_entries(tip, RECORDS) if entry.path.endswith(SUFFIX)
        ]
        contents = self.git.blobs([entry.blob for entry in entries])
        records, warnings = [], []
        for entry, data in zip(entries, contents, strict=True):
            where = f"{self.branch}:{entry.path}"
            try:
                text = data.decode("utf-8")
                name = entry.path.removeprefix(f"{RECORDS}/")
                records.append(decode_record(text, where=where, name=name))
            except UnicodeDecodeError as err:
                warnings.append(f"skipped a record: {where}: not UTF-8 text ({err.reason})")
            except StoreError as err:
                warnings.append(f"skipped a record: {err}")
        return StoreContents(mark_duplicates(records), tuple(warnings))

    def _fetch(self) -> str | None:
        """The branch's newest commit on the remote, fetched; None if it has no such branch."""
        tip = self.git.remote_tip(self.remote, self.branch)
        if tip is not None and not self.git.has_commit(tip):
            self.git.fetch(self.remote, self.branch, self.local_ref)
        return tip
